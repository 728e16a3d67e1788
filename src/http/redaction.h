#pragma once

#include "exchange.h"

namespace portolan::http {

// What replaces a secret: "<credential:ID>", "<secret:NAME>" or "<redacted>".
QByteArray secretReference(const SecretUse &use);

// A copy of `exchange` safe to keep or share: Authorization and
// Proxy-Authorization values (their scheme word kept), every cookie value in
// Cookie and Set-Cookie, and every value recorded in `exchange.secrets`
// (headers, query parameters, and the literal secret wherever it appears in
// URLs, headers or in-memory request bodies) are replaced by references.
// Response bodies held in memory are cleaned of every secret that was sent
// (servers like httpbin echo them back).
Exchange redacted(const Exchange &exchange);
HttpRequest redacted(const HttpRequest &request, const QList<SecretUse> &secrets);

// Every secret value the exchange sent: its recorded secrets plus the
// credentials of Authorization headers and the values of cookies.
QList<SecretUse> sentSecrets(const Exchange &exchange);
// `text` with each of those values replaced by its reference.
QByteArray replaceSecrets(QByteArray text, const QList<SecretUse> &secrets);

} // namespace portolan::http
