#include "jose.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace portolan::auth {

namespace {

template <typename T, void (*Free)(T *)>
struct Deleter {
    void operator()(T *p) const { Free(p); }
};
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using EcSig = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

std::shared_ptr<EVP_PKEY> own(EVP_PKEY *key) { return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free); }

QString opensslError(const char *what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (!code)
        return QString::fromLatin1(what);
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    return QStringLiteral("%1 (%2)").arg(QLatin1String(what), QLatin1String(buffer));
}

QByteArray jwkBytes(const QJsonObject &jwk, const char *member, QString *error)
{
    QByteArray raw;
    const QByteArray text = jwk.value(QLatin1String(member)).toString().toLatin1();
    if (text.isEmpty() || !base64UrlDecode(text, &raw)) {
        *error = QStringLiteral("JWK member \"%1\" is missing or not base64url").arg(QLatin1String(member));
        return {};
    }
    return raw;
}

Bignum toBignum(const QByteArray &bytes)
{
    return Bignum(BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.constData()), int(bytes.size()), nullptr));
}

std::shared_ptr<EVP_PKEY> keyFromParams(const char *type, OSSL_PARAM_BLD *builder, bool isPrivate)
{
    Params params(OSSL_PARAM_BLD_to_param(builder));
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY *key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0
        || EVP_PKEY_fromdata(ctx.get(), &key, isPrivate ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
        return {};
    return own(key);
}

QByteArray bnParam(EVP_PKEY *key, const char *name)
{
    BIGNUM *bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) <= 0)
        return {};
    Bignum owned(bn);
    QByteArray out(BN_num_bytes(bn), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

const EVP_MD *digestFor(const QString &alg)
{
    if (alg == QLatin1String("RS256") || alg == QLatin1String("PS256") || alg == QLatin1String("ES256"))
        return EVP_sha256();
    return nullptr;  // EdDSA signs the message itself
}

bool knownAlgorithm(const QString &alg)
{
    return alg == QLatin1String("RS256") || alg == QLatin1String("PS256") || alg == QLatin1String("ES256")
        || alg == QLatin1String("EdDSA") || alg == QLatin1String("Ed25519");
}

} // namespace

QByteArray base64UrlEncode(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

bool base64UrlDecode(const QByteArray &text, QByteArray *out)
{
    const auto result = QByteArray::fromBase64Encoding(
        text, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return false;
    *out = *result;
    return true;
}

QByteArray randomToken(int bytes)
{
    QByteArray raw(bytes, '\0');
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    for (int i = bytes - bytes % 4; i < bytes; ++i)
        raw[i] = char(QRandomGenerator::system()->generate() & 0xff);
    return base64UrlEncode(raw);
}

JsonWebKey JsonWebKey::fromJwk(const QJsonObject &jwk, QString *error)
{
    JsonWebKey result;
    const QString kty = jwk.value(QLatin1String("kty")).toString();
    ParamBld builder(OSSL_PARAM_BLD_new());
    const bool isPrivate = jwk.contains(QLatin1String("d"));
    if (kty == QLatin1String("RSA")) {
        const Bignum n = toBignum(jwkBytes(jwk, "n", error));
        const Bignum e = toBignum(jwkBytes(jwk, "e", error));
        if (!error->isEmpty())
            return {};
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
        if (isPrivate) {
            *error = QStringLiteral("private RSA JWKs are not supported; use a PEM file");
            return {};
        }
        result.m_key = keyFromParams("RSA", builder.get(), false);
    } else if (kty == QLatin1String("EC")) {
        if (jwk.value(QLatin1String("crv")).toString() != QLatin1String("P-256")) {
            *error = QStringLiteral("EC curve \"%1\" is not supported (only P-256)")
                         .arg(jwk.value(QLatin1String("crv")).toString());
            return {};
        }
        const QByteArray x = jwkBytes(jwk, "x", error), y = jwkBytes(jwk, "y", error);
        if (!error->isEmpty())
            return {};
        if (x.size() != 32 || y.size() != 32) {
            *error = QStringLiteral("EC P-256 coordinates must be 32 bytes");
            return {};
        }
        const QByteArray point = QByteArray(1, '\x04') + x + y;
        OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(), size_t(point.size()));
        Bignum d;
        if (isPrivate) {
            d = toBignum(jwkBytes(jwk, "d", error));
            if (!error->isEmpty())
                return {};
            OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get());
        }
        result.m_key = keyFromParams("EC", builder.get(), isPrivate);
        result.m_private = isPrivate;
    } else if (kty == QLatin1String("OKP")) {
        if (jwk.value(QLatin1String("crv")).toString() != QLatin1String("Ed25519")) {
            *error = QStringLiteral("OKP curve \"%1\" is not supported (only Ed25519)")
                         .arg(jwk.value(QLatin1String("crv")).toString());
            return {};
        }
        const QByteArray x = jwkBytes(jwk, "x", error);
        if (!error->isEmpty())
            return {};
        result.m_key = own(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                                       reinterpret_cast<const unsigned char *>(x.constData()),
                                                       size_t(x.size())));
    } else {
        *error = QStringLiteral("JWK key type \"%1\" is not supported").arg(kty);
        return {};
    }
    if (!result.m_key) {
        *error = opensslError("the JWK does not describe a valid key");
        return {};
    }
    result.m_keyId = jwk.value(QLatin1String("kid")).toString();
    result.m_algorithm = jwk.value(QLatin1String("alg")).toString();
    return result;
}

JsonWebKey JsonWebKey::fromPrivatePem(const QByteArray &pem, const QByteArray &passphrase, QString *error)
{
    Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    // An empty passphrase must not fall back to prompting on the terminal.
    QByteArray pass = passphrase;
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, pass.data());
    if (!key) {
        *error = opensslError(passphrase.isEmpty() ? "not a PEM private key, or it needs a passphrase"
                                                   : "not a PEM private key, or the passphrase is wrong");
        return {};
    }
    JsonWebKey result;
    result.m_key = own(key);
    result.m_private = true;
    return result;
}

JsonWebKey JsonWebKey::generateEs256()
{
    JsonWebKey result;
    result.m_key = own(EVP_EC_gen("P-256"));
    result.m_private = true;
    result.m_algorithm = QStringLiteral("ES256");
    return result;
}

QString JsonWebKey::keyType() const
{
    if (!m_key)
        return {};
    switch (EVP_PKEY_get_base_id(m_key.get())) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS: return QStringLiteral("RSA");
    case EVP_PKEY_EC: return QStringLiteral("EC");
    case EVP_PKEY_ED25519: return QStringLiteral("OKP");
    default: return {};
    }
}

bool JsonWebKey::supportsAlgorithm(const QString &alg) const
{
    const QString kty = keyType();
    if (alg == QLatin1String("RS256") || alg == QLatin1String("PS256"))
        return kty == QLatin1String("RSA");
    if (alg == QLatin1String("ES256"))
        return kty == QLatin1String("EC");
    if (alg == QLatin1String("EdDSA") || alg == QLatin1String("Ed25519"))
        return kty == QLatin1String("OKP");
    return false;
}

QJsonObject JsonWebKey::publicJwk() const
{
    QJsonObject jwk;
    const QString kty = keyType();
    jwk.insert(QLatin1String("kty"), kty);
    if (kty == QLatin1String("RSA")) {
        jwk.insert(QLatin1String("e"), QString::fromLatin1(base64UrlEncode(bnParam(m_key.get(), OSSL_PKEY_PARAM_RSA_E))));
        jwk.insert(QLatin1String("n"), QString::fromLatin1(base64UrlEncode(bnParam(m_key.get(), OSSL_PKEY_PARAM_RSA_N))));
    } else if (kty == QLatin1String("EC")) {
        unsigned char point[65];
        size_t length = 0;
        EVP_PKEY_get_octet_string_param(m_key.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof point, &length);
        if (length == 65) {
            jwk.insert(QLatin1String("crv"), QStringLiteral("P-256"));
            jwk.insert(QLatin1String("x"), QString::fromLatin1(base64UrlEncode(QByteArray(reinterpret_cast<char *>(point + 1), 32))));
            jwk.insert(QLatin1String("y"), QString::fromLatin1(base64UrlEncode(QByteArray(reinterpret_cast<char *>(point + 33), 32))));
        }
    } else if (kty == QLatin1String("OKP")) {
        unsigned char raw[32];
        size_t length = sizeof raw;
        EVP_PKEY_get_raw_public_key(m_key.get(), raw, &length);
        jwk.insert(QLatin1String("crv"), QStringLiteral("Ed25519"));
        jwk.insert(QLatin1String("x"), QString::fromLatin1(base64UrlEncode(QByteArray(reinterpret_cast<char *>(raw), int(length)))));
    }
    return jwk;
}

QByteArray JsonWebKey::thumbprint() const
{
    // RFC 7638: required members only, lexicographic order, no whitespace.
    // QJsonObject keeps keys sorted and publicJwk() holds exactly those members.
    const QByteArray canonical = QJsonDocument(publicJwk()).toJson(QJsonDocument::Compact);
    return base64UrlEncode(QCryptographicHash::hash(canonical, QCryptographicHash::Sha256));
}

QByteArray JsonWebKey::privatePem() const
{
    if (!m_key || !m_private)
        return {};
    Bio bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr) <= 0)
        return {};
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, int(length));
}

QByteArray signData(const QByteArray &data, const JsonWebKey &key, const QString &alg, QString *error)
{
    if (!knownAlgorithm(alg) || !key.supportsAlgorithm(alg) || !key.hasPrivateKey()) {
        *error = QStringLiteral("cannot sign %1 with this %2 key").arg(alg, key.keyType());
        return {};
    }
    MdCtx ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX *pctx = nullptr;  // owned by ctx
    if (EVP_DigestSignInit(ctx.get(), &pctx, digestFor(alg), nullptr, key.evp()) <= 0) {
        *error = opensslError("signing failed");
        return {};
    }
    if (alg == QLatin1String("PS256")) {
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
    size_t length = 0;
    const auto *in = reinterpret_cast<const unsigned char *>(data.constData());
    if (EVP_DigestSign(ctx.get(), nullptr, &length, in, size_t(data.size())) <= 0) {
        *error = opensslError("signing failed");
        return {};
    }
    QByteArray signature(int(length), '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, in, size_t(data.size())) <= 0) {
        *error = opensslError("signing failed");
        return {};
    }
    signature.truncate(int(length));
    if (alg == QLatin1String("ES256")) {
        // JWS wants the raw 64-byte r||s, OpenSSL gives DER.
        const auto *der = reinterpret_cast<const unsigned char *>(signature.constData());
        EcSig sig(d2i_ECDSA_SIG(nullptr, &der, long(signature.size())));
        if (!sig) {
            *error = opensslError("signing failed");
            return {};
        }
        QByteArray raw(64, '\0');
        BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char *>(raw.data()), 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char *>(raw.data()) + 32, 32);
        return raw;
    }
    return signature;
}

bool verifySignature(const QByteArray &data, const QByteArray &signature, const JsonWebKey &key, const QString &alg,
                     QString *error)
{
    if (!knownAlgorithm(alg)) {
        *error = QStringLiteral("signature algorithm \"%1\" is not accepted").arg(alg);
        return false;
    }
    if (!key.supportsAlgorithm(alg)) {
        *error = QStringLiteral("key type %1 cannot verify %2").arg(key.keyType(), alg);
        return false;
    }
    QByteArray sig = signature;
    if (alg == QLatin1String("ES256")) {
        if (signature.size() != 64) {
            *error = QStringLiteral("ES256 signature must be 64 bytes");
            return false;
        }
        EcSig ecSig(ECDSA_SIG_new());
        ECDSA_SIG_set0(ecSig.get(), toBignum(signature.left(32)).release(), toBignum(signature.mid(32)).release());
        unsigned char *der = nullptr;
        const int length = i2d_ECDSA_SIG(ecSig.get(), &der);
        sig = QByteArray(reinterpret_cast<char *>(der), length);
        OPENSSL_free(der);
    }
    MdCtx ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX *pctx = nullptr;  // owned by ctx
    if (EVP_DigestVerifyInit(ctx.get(), &pctx, digestFor(alg), nullptr, key.evp()) <= 0) {
        *error = opensslError("verification failed");
        return false;
    }
    if (alg == QLatin1String("PS256")) {
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
    const int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(sig.constData()), size_t(sig.size()),
                                    reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()));
    ERR_clear_error();
    if (ok != 1) {
        *error = QStringLiteral("signature does not verify");
        return false;
    }
    return true;
}

QByteArray signJwt(QJsonObject header, const QJsonObject &payload, const JsonWebKey &key, const QString &alg,
                   QString *error)
{
    header.insert(QLatin1String("alg"), alg);
    if (!key.keyId().isEmpty() && !header.contains(QLatin1String("kid")))
        header.insert(QLatin1String("kid"), key.keyId());
    const QByteArray input = base64UrlEncode(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
        + base64UrlEncode(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    const QByteArray signature = signData(input, key, alg, error);
    if (signature.isEmpty())
        return {};
    return input + '.' + base64UrlEncode(signature);
}

DecodedJwt DecodedJwt::decode(const QByteArray &compact)
{
    DecodedJwt jwt;
    const QList<QByteArray> parts = compact.trimmed().split('.');
    if (parts.size() != 3) {
        jwt.error = parts.size() == 5 ? QStringLiteral("encrypted JWTs (JWE) cannot be decoded")
                                      : QStringLiteral("a JWT has three dot-separated parts, this has %1").arg(parts.size());
        return jwt;
    }
    QByteArray header, payload;
    if (!base64UrlDecode(parts[0], &header) || !base64UrlDecode(parts[1], &payload)
        || !base64UrlDecode(parts[2], &jwt.signature)) {
        jwt.error = QStringLiteral("a JWT part is not base64url");
        return jwt;
    }
    QJsonParseError parseError;
    const QJsonDocument headerDoc = QJsonDocument::fromJson(header, &parseError);
    if (!headerDoc.isObject()) {
        jwt.error = QStringLiteral("the JWT header is not a JSON object");
        return jwt;
    }
    const QJsonDocument payloadDoc = QJsonDocument::fromJson(payload, &parseError);
    if (!payloadDoc.isObject()) {
        jwt.error = QStringLiteral("the JWT payload is not a JSON object");
        return jwt;
    }
    jwt.header = headerDoc.object();
    jwt.payload = payloadDoc.object();
    jwt.signingInput = parts[0] + '.' + parts[1];
    jwt.wellFormed = true;
    return jwt;
}

} // namespace portolan::auth
