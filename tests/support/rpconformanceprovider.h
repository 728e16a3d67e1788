#pragma once

#include "serviceprocess.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QUrl>

namespace portolan::test {

// The misbehaving OpenID Provider (tests/services/rp-conformance/server.mjs):
// one issuer per OpenID Foundation RP test case, on 127.0.0.1 at a free port.
class RpConformanceProvider {
public:
    static constexpr char ClientId[] = "rp-client";
    static constexpr char ClientSecret[] = "rp-secret";
    static constexpr char Subject[] = "alice-subject";

    // False with `error` when node or the script is missing or it did not come up.
    bool start(QString *error);

    QUrl issuer(const QString &testCase) const;
    QUrl discoveryUrl(const QString &testCase) const;
    QUrl endpoint(const QString &testCase, const QString &path) const;
    // Hit counters of a case: jwks, token, userinfo, trap, discovery. Blocks (test code only).
    QJsonObject stats(const QString &testCase);
    // Makes the case sign with its next key (rp-key-rotation-op-sign-key). Blocks.
    bool rotateKey(const QString &testCase);
    QString output() const { return m_process.output(); }

private:
    QByteArray call(const QUrl &url, bool post);

    ServiceProcess m_process;
    QNetworkAccessManager m_network;
    QUrl m_base;
};

} // namespace portolan::test
