#pragma once

#include <QUrl>

namespace portolan::auth {

// Whether a URL is the redirect URI a login waits for: same scheme, host,
// port (an explicit default port equals none) and path (percent-encoding
// normalized as RFC 3986 §6.2.2 says: hex case, unreserved characters);
// query and fragment are the response and may be anything. Loopback hosts
// are told apart by port, as RFC 8252 §7.3 has the client pick a port per
// login. The embedded browser and the login engine both ask this one
// function, so they never disagree on which navigation ends a login.
bool matchesRedirectUri(const QUrl &candidate, const QUrl &redirectUri);

} // namespace portolan::auth
