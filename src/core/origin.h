#pragma once

#include <QString>
#include <QUrl>

namespace portolan {

// Same scheme, host and port (RFC 6454), default ports filled in.
bool sameOrigin(const QUrl &a, const QUrl &b);
// "https://host:443", for messages.
QString originText(const QUrl &url);

} // namespace portolan
