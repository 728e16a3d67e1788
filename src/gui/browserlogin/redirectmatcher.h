#pragma once

#include <QUrl>

namespace portolan::gui {

// Whether a navigation goes to the redirect URI a login waits for: same
// scheme, host, port and path; query and fragment are the response and may
// be anything. Loopback hosts are told apart by port, as RFC 8252 §7.3 has
// the client pick a port per login.
bool matchesRedirectUri(const QUrl &candidate, const QUrl &redirectUri);

} // namespace portolan::gui
