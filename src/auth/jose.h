#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <memory>

// JSON Web Keys, JWS signatures and JWT decoding on OpenSSL 3 EVP APIs.
// Supported algorithms: RS256, PS256, ES256, EdDSA (Ed25519).
typedef struct evp_pkey_st EVP_PKEY;

namespace portolan::auth {

QByteArray base64UrlEncode(const QByteArray &data);
// Strict: rejects characters outside the base64url alphabet.
bool base64UrlDecode(const QByteArray &text, QByteArray *out);
// `bytes` bytes from the system CSPRNG, base64url-encoded.
QByteArray randomToken(int bytes = 32);

class JsonWebKey {
public:
    JsonWebKey() = default;

    // A public or private key from a JWK object (kty RSA, EC P-256, OKP Ed25519).
    static JsonWebKey fromJwk(const QJsonObject &jwk, QString *error);
    // A private key from PEM (PKCS#8, traditional RSA/EC); `passphrase` may be empty.
    static JsonWebKey fromPrivatePem(const QByteArray &pem, const QByteArray &passphrase, QString *error);
    static JsonWebKey generateEs256();

    bool isNull() const { return !m_key; }
    bool hasPrivateKey() const { return m_private; }
    QString keyType() const;                  // "RSA", "EC" or "OKP"
    QString keyId() const { return m_keyId; }
    QString algorithmHint() const { return m_algorithm; }  // the JWK's "alg", if any
    bool supportsAlgorithm(const QString &alg) const;

    QJsonObject publicJwk() const;
    QByteArray thumbprint() const;            // RFC 7638 SHA-256, base64url
    QByteArray privatePem() const;            // PKCS#8, unencrypted: store only in the keychain

    EVP_PKEY *evp() const { return m_key.get(); }

private:
    std::shared_ptr<EVP_PKEY> m_key;
    bool m_private = false;
    QString m_keyId;
    QString m_algorithm;
};

QByteArray signData(const QByteArray &data, const JsonWebKey &key, const QString &alg, QString *error);
bool verifySignature(const QByteArray &data, const QByteArray &signature, const JsonWebKey &key,
                     const QString &alg, QString *error);

// A compact JWS; `header` gets "alg" (and "kid" when the key has one) filled in.
QByteArray signJwt(QJsonObject header, const QJsonObject &payload, const JsonWebKey &key, const QString &alg,
                   QString *error);

// A compact JWS/JWT split and decoded, signature not checked.
struct DecodedJwt {
    bool wellFormed = false;
    QString error;
    QJsonObject header;
    QJsonObject payload;
    QByteArray signingInput;  // header.payload, as received
    QByteArray signature;     // raw bytes

    static DecodedJwt decode(const QByteArray &compact);
    QString algorithm() const { return header.value(QLatin1String("alg")).toString(); }
};

} // namespace portolan::auth
