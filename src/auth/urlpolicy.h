#pragma once

#include <QStringList>
#include <QUrl>

#include <functional>

class QNetworkReply;
class QNetworkRequest;

namespace portolan::auth {

// Which URLs the auth engine talks to, follows and opens. Both front ends
// go through these functions, so the rules are the same in the CLI and GUI.

// Authorization, token, discovery and JWKS endpoints carry secrets or decide
// which keys are trusted: over plain http they are refused unless the host is
// loopback (RFC 8252 §8.3) or the user allowed that host (`allowedHttpHosts`,
// compared case-insensitively). `what` names the endpoint in the error.
bool endpointTransportAllowed(const QUrl &url, const QStringList &allowedHttpHosts, const QString &what, QString *error);

// Back-channel requests (token, refresh, revocation, introspection, userinfo,
// discovery, JWKS) never follow redirects: a 3xx would carry the client's
// secret or the user's password to wherever the server points.
void refuseRedirects(QNetworkRequest *request);
// Empty, or the error for a reply that asked to be redirected, naming the target.
QString redirectRefusal(QNetworkReply *reply, const QString &what);

// URLs from documents and providers (authorization URLs, verification_uri_complete)
// are opened in a browser only when they are http(s) with a host.
bool isBrowsableUrl(const QUrl &url, QString *error);
// Checks `url` with isBrowsableUrl(), then hands it to `launch` (the front end's
// way to start a browser). False with `error` when refused or `launch` failed.
bool openInBrowser(const QUrl &url, const std::function<bool(const QUrl &)> &launch, QString *error);

} // namespace portolan::auth
