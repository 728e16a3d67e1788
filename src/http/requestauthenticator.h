#pragma once

#include "exchange.h"
#include "httprequest.h"

#include <functional>
#include <optional>

namespace portolan::http {

// The outcome of putting credentials into a request.
struct AuthenticationResult {
    bool ok = false;
    QString error;              // why no credential could be applied
    HttpRequest request;        // the request with credentials added
    QList<SecretUse> secrets;   // where they were put, for redaction
};

// Applies stored credentials to requests. The auth engine implements this;
// the HTTP engine only calls it, so it builds without the auth engine.
// Calls may complete later (keychain reads, token refresh): `done` is called
// exactly once, on the thread that called.
class RequestAuthenticator {
public:
    virtual ~RequestAuthenticator() = default;

    // Adds the credential to `request` (headers, query, cookies).
    virtual void authenticate(const HttpRequest &request, std::function<void(AuthenticationResult)> done) = 0;

    // The server answered 401 (or 407) to `sent`, which went out for `request`
    // (the request as authenticated, before the engine's default headers and
    // cookies). If the credential can do better — refresh a token, answer a
    // digest challenge — `done` receives the request to retry (built from
    // `request`); std::nullopt keeps the 401 as the final answer, and so does
    // a result with `ok` false, whose `error` says why (the exchange's
    // errorMessage). The engine retries once per send.
    virtual void onUnauthorized(const HttpRequest &request, const SentRequest &sent, const ReceivedResponse &response,
                                std::function<void(std::optional<AuthenticationResult>)> done) = 0;
};

} // namespace portolan::http
