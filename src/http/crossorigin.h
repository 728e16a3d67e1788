#pragma once

#include "exchange.h"
#include "httprequest.h"
#include "origin.h"

namespace portolan::http {

// What happens to a request that a redirect sends to another origin.
struct CrossOriginRedirect {
    QList<Withheld> withheld;  // what was removed from the request, and why
    QString refusal;           // non-empty: a secret cannot be removed (path, body); do not follow
};

// Removes from `next`, which a redirect sends from `from` to another origin,
// everything that authenticates: Authorization, Proxy-Authorization and Cookie
// headers, and whatever a credential or a secret variable contributed
// (`secrets`: headers and query parameters by name, and any header or query
// value carrying a secret value).
CrossOriginRedirect withholdCredentials(HttpRequest *next, const QUrl &from, const QList<SecretUse> &secrets);

} // namespace portolan::http
