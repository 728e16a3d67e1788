#pragma once

#include "jose.h"

#include <QHash>
#include <QString>
#include <QUrl>

namespace portolan::auth {

// DPoP (RFC 9449): proofs signed with the credential's own ES256 key, and the
// server nonces learned from `DPoP-Nonce` headers, remembered per origin.
class DpopNonces {
public:
    QByteArray nonceFor(const QUrl &url) const;
    void remember(const QUrl &url, const QByteArray &nonce);

private:
    static QString origin(const QUrl &url);
    QHash<QString, QByteArray> m_nonces;
};

// A proof JWT for one request. `accessToken` non-empty adds `ath` (resource requests).
QByteArray dpopProof(const JsonWebKey &key, const QString &method, const QUrl &url, const QByteArray &nonce,
                     const QByteArray &accessToken, QString *error);

} // namespace portolan::auth
