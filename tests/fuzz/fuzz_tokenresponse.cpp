// libFuzzer target for token-endpoint responses: the body an authorization
// server answers to a token request, read as a success (access_token,
// token_type, expires_in, …) and as an RFC 6749 error. Any crash, sanitizer
// report, hang or runaway allocation is a bug.
#include "tokenclient.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstddef>
#include <cstdint>

namespace {

// The one place that names the parser under test: point it at the new entry
// point when token-response parsing moves (JSON and form-encoded bodies).
void parseTokenEndpointBody(const QByteArray &body)
{
    using portolan::auth::TokenClient;
    portolan::auth::TokenSet tokens;
    portolan::auth::OAuthError error;
    (void)TokenClient::parseTokenResponse(body, &tokens, &error);
    const QList<QByteArray> secrets{QByteArrayLiteral("client-secret"), QByteArrayLiteral("a")};
    (void)TokenClient::errorFromResponse(400, body, secrets, QStringLiteral("the token endpoint"));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    parseTokenEndpointBody(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    return 0;
}
