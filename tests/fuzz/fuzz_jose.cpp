// libFuzzer target for JWT/JWS decoding: ID tokens, access tokens shown with
// `tokens show --decode`, and DPoP-style headers carrying a JWK all arrive
// from servers or users. The compact form is split and base64url/JSON-decoded,
// an embedded `jwk` is turned into a key, and the signature is checked with
// the algorithm the header names. Any crash, sanitizer report, hang or
// runaway allocation is a bug.
//
// An input is either a compact token as received, or, when it starts with
// '{', three lines (header JSON, payload JSON, signature bytes) that are
// base64url-encoded into one, so mutations reach the JSON and JWK code
// instead of breaking the base64 text.
#include "jose.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace portolan::auth;
    static const JsonWebKey verifier = JsonWebKey::generateEs256();

    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    QByteArray compact = input;
    if (input.startsWith('{')) {
        const QList<QByteArray> parts = input.split('\n');
        compact = base64UrlEncode(parts.value(0)) + '.' + base64UrlEncode(parts.value(1)) + '.'
            + base64UrlEncode(parts.mid(2).join('\n'));
    } else {
        QByteArray raw;
        (void)base64UrlDecode(compact, &raw);
    }

    const DecodedJwt jwt = DecodedJwt::decode(compact);
    if (!jwt.wellFormed)
        return 0;
    QString error;
    const QJsonObject embedded = jwt.header.value(QLatin1String("jwk")).toObject();
    if (!embedded.isEmpty()) {
        const JsonWebKey key = JsonWebKey::fromJwk(embedded, &error);
        if (!key.isNull()) {
            (void)key.thumbprint();
            (void)key.publicJwk();
            (void)verifySignature(jwt.signingInput, jwt.signature, key, jwt.algorithm(), &error);
        }
    }
    (void)verifySignature(jwt.signingInput, jwt.signature, verifier, jwt.algorithm(), &error);
    return 0;
}
