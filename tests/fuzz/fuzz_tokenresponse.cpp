// libFuzzer target for token-endpoint responses: the body an authorization
// server answers to a token request, read as a success (access_token,
// token_type, expires_in, …) and as an RFC 6749 error. Any crash, sanitizer
// report, hang or runaway allocation is a bug.
#include "tokenclient.h"
#include "tokenresponse.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <cstddef>
#include <cstdint>

namespace {

// The one place that names the parser under test: point it at the new entry
// point when token-response parsing moves (JSON and form-encoded bodies).
void parseTokenEndpointBody(const QByteArray &body)
{
    namespace tokenresponse = portolan::auth::tokenresponse;
    const QList<QByteArray> secrets{QByteArrayLiteral("client-secret"), QByteArrayLiteral("a")};
    const QUrl endpoint(QStringLiteral("https://as.example/token"));
    // As JSON, as form-encoded, and as whatever the server labels it, at success and error statuses.
    for (const QByteArray &type : {QByteArrayLiteral("application/json"), QByteArrayLiteral("application/x-www-form-urlencoded"),
                                   QByteArray()}) {
        for (int status : {200, 400}) {
            (void)tokenresponse::parse({status, type, body, endpoint}, secrets);
            portolan::auth::DeviceAuthorization device;
            (void)tokenresponse::parseDeviceAuthorization({status, type, body, endpoint}, secrets, &device);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    parseTokenEndpointBody(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    return 0;
}
