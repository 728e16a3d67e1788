// libFuzzer target for WWW-Authenticate headers: any server a request reaches
// can send one. The header is split into challenges (RFC 7235) and, as the
// request signer does, answered as an HTTP Digest challenge (RFC 7616). Any
// crash, sanitizer report, hang or runaway allocation is a bug.
#include "digest.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace portolan::auth;
    const QByteArray header(reinterpret_cast<const char *>(data), qsizetype(size));
    for (const AuthChallenge &challenge : parseAuthChallenges(header))
        (void)challenge.parameters.value(QStringLiteral("error"));

    DigestResponder responder;
    QString error;
    // Twice, so the nonce count of a repeated server nonce is exercised too.
    for (int round = 0; round < 2; ++round)
        (void)responder.authorization(header, QStringLiteral("POST"), QByteArrayLiteral("/pets?limit=5"),
                                      QByteArrayLiteral("{\"name\":\"Rex\"}"), QStringLiteral("alice"),
                                      QByteArrayLiteral("secret"), &error, QByteArrayLiteral("0a4f113b"));
    return 0;
}
