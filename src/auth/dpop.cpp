#include "dpop.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonObject>

namespace portolan::auth {

QString DpopNonces::origin(const QUrl &url)
{
    return url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo).toString();
}

QByteArray DpopNonces::nonceFor(const QUrl &url) const { return m_nonces.value(origin(url)); }

void DpopNonces::remember(const QUrl &url, const QByteArray &nonce)
{
    if (!nonce.isEmpty())
        m_nonces.insert(origin(url), nonce);
}

QByteArray dpopProof(const JsonWebKey &key, const QString &method, const QUrl &url, const QByteArray &nonce,
                     const QByteArray &accessToken, QString *error)
{
    QJsonObject header;
    header.insert(QLatin1String("typ"), QStringLiteral("dpop+jwt"));
    header.insert(QLatin1String("jwk"), key.publicJwk());
    QJsonObject payload;
    payload.insert(QLatin1String("jti"), QString::fromLatin1(randomToken(16)));
    payload.insert(QLatin1String("htm"), method.toUpper());
    // htu: the URI without query and fragment (RFC 9449 §4.2).
    payload.insert(QLatin1String("htu"), url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment).toString(QUrl::FullyEncoded));
    payload.insert(QLatin1String("iat"), QDateTime::currentSecsSinceEpoch());
    if (!nonce.isEmpty())
        payload.insert(QLatin1String("nonce"), QString::fromLatin1(nonce));
    if (!accessToken.isEmpty())
        payload.insert(QLatin1String("ath"),
                       QString::fromLatin1(base64UrlEncode(QCryptographicHash::hash(accessToken, QCryptographicHash::Sha256))));
    return signJwt(header, payload, key, QStringLiteral("ES256"), error);
}

} // namespace portolan::auth
