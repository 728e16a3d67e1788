#include "redaction.h"

#include <QUrlQuery>

namespace portolan::http {

namespace {

const QByteArray kRedacted = "<redacted>";

QByteArray referenceFor(const QList<SecretUse> &secrets, SecretUse::Location location, const QByteArray &name)
{
    for (const SecretUse &s : secrets) {
        if (s.location == location && s.name.compare(name, Qt::CaseInsensitive) == 0)
            return secretReference(s);
    }
    return {};
}

// "a=1; b=2" → "a=<redacted>; b=<redacted>"; a request's Cookie header.
QByteArray redactCookiePairs(const QByteArray &header, const QList<SecretUse> &secrets)
{
    QList<QByteArray> out;
    for (const QByteArray &pair : header.split(';')) {
        const QByteArray trimmed = pair.trimmed();
        const qsizetype eq = trimmed.indexOf('=');
        const QByteArray name = eq < 0 ? trimmed : trimmed.left(eq);
        const QByteArray reference = referenceFor(secrets, SecretUse::Location::Cookie, name);
        out.append(name + '=' + (reference.isEmpty() ? kRedacted : reference));
    }
    return out.join("; ");
}

// "id=abc; Path=/; HttpOnly" → "id=<redacted>; Path=/; HttpOnly"; attributes stay readable.
QByteArray redactSetCookie(const QByteArray &header)
{
    const qsizetype semicolon = header.indexOf(';');
    const QByteArray first = semicolon < 0 ? header : header.left(semicolon);
    const qsizetype eq = first.indexOf('=');
    return (eq < 0 ? first : first.left(eq)) + '=' + kRedacted + (semicolon < 0 ? QByteArray() : header.mid(semicolon));
}

QByteArray replaceLiterals(const QByteArray &text, const QList<SecretUse> &secrets)
{
    return replaceSecrets(text, secrets);
}

HeaderList redactHeaders(const HeaderList &headers, const QList<SecretUse> &secrets, bool response)
{
    HeaderList out;
    for (HeaderField h : headers) {
        const QByteArray lower = h.name.toLower();
        const QByteArray reference = referenceFor(secrets, SecretUse::Location::Header, h.name);
        if (lower == "authorization" || lower == "proxy-authorization") {
            const qsizetype space = h.value.indexOf(' ');
            const QByteArray ref = reference.isEmpty() ? kRedacted : reference;
            h.value = space > 0 ? h.value.left(space) + ' ' + ref : ref;
        } else if (!reference.isEmpty()) {
            h.value = reference;
        } else if (lower == "cookie" && !response) {
            h.value = redactCookiePairs(h.value, secrets);
        } else if (lower == "set-cookie" && response) {
            h.value = redactSetCookie(h.value);
        } else {
            h.value = replaceLiterals(h.value, secrets);
        }
        out.append(h);
    }
    return out;
}

QUrl redactUrl(const QUrl &url, const QList<SecretUse> &secrets)
{
    QUrl out = url;
    if (!out.password().isEmpty())
        out.setPassword(QString::fromLatin1(kRedacted));
    // Secrets are compared with the path and query values as the server reads
    // them, percent-decoded: "{{token}}" may have put one anywhere in the URL.
    const QByteArray path = url.path(QUrl::FullyDecoded).toUtf8();
    const QByteArray cleanPath = replaceSecrets(path, secrets);
    if (cleanPath != path)
        out.setPath(QString::fromUtf8(cleanPath), QUrl::DecodedMode);
    if (!url.hasQuery())
        return out;
    QList<QByteArray> pairs;
    for (const QByteArray &pair : url.query(QUrl::FullyEncoded).toLatin1().split('&')) {
        const qsizetype eq = pair.indexOf('=');
        const QByteArray encodedName = eq < 0 ? pair : pair.left(eq);
        const QByteArray name = QByteArray::fromPercentEncoding(encodedName);
        const QByteArray reference = referenceFor(secrets, SecretUse::Location::Query, name);
        const QByteArray value = eq < 0 ? QByteArray() : QByteArray::fromPercentEncoding(pair.mid(eq + 1));
        if (!reference.isEmpty())
            pairs.append(encodedName + '=' + reference.toPercentEncoding());
        else if (const QByteArray cleanName = replaceSecrets(name, secrets), cleanValue = replaceSecrets(value, secrets);
                 cleanName != name || cleanValue != value)
            pairs.append(cleanName.toPercentEncoding() + (eq < 0 ? QByteArray() : '=' + cleanValue.toPercentEncoding()));
        else
            pairs.append(replaceLiterals(pair, secrets));  // a value sent with '+' for spaces, or none
    }
    if (url.hasQuery())
        out.setQuery(QString::fromLatin1(pairs.join('&')), QUrl::StrictMode);
    return out;
}

RequestBodyData redactBody(const RequestBodyData &body, const QList<SecretUse> &secrets)
{
    RequestBodyData out = body;
    for (BodySegment &segment : out.segments) {
        if (!segment.isFile())
            segment.bytes = replaceLiterals(segment.bytes, secrets);
    }
    return out;
}

} // namespace

QByteArray replaceSecrets(QByteArray text, const QList<SecretUse> &secrets)
{
    for (const SecretUse &s : secrets) {
        if (s.value.size() < 4)  // shorter values would blank out ordinary text
            continue;
        // As written, and as percent-encoded in URLs and form bodies (with %20 or '+' for spaces).
        const QByteArray encoded = QUrl::toPercentEncoding(QString::fromUtf8(s.value));
        for (const QByteArray &form : {s.value, encoded, QByteArray(encoded).replace("%20", "+")})
            text.replace(form, secretReference(s));
    }
    return text;
}

QList<SecretUse> sentSecrets(const Exchange &exchange)
{
    QList<SecretUse> all = exchange.secrets;
    for (const Hop &hop : exchange.hops) {
        for (const HeaderField &h : hop.request.headers) {
            const QByteArray lower = h.name.toLower();
            if (lower == "authorization" || lower == "proxy-authorization") {
                const qsizetype space = h.value.indexOf(' ');
                all.append({SecretUse::Location::Header, h.name, {}, {}, space > 0 ? h.value.mid(space + 1) : h.value});
            } else if (lower == "cookie") {
                for (const QByteArray &pair : h.value.split(';')) {
                    const qsizetype eq = pair.indexOf('=');
                    if (eq > 0)
                        all.append({SecretUse::Location::Cookie, pair.left(eq).trimmed(), {}, {}, pair.mid(eq + 1).trimmed()});
                }
            }
        }
    }
    return all;
}

QByteArray secretReference(const SecretUse &use)
{
    if (!use.credentialId.isEmpty())
        return "<credential:" + use.credentialId.toUtf8() + '>';
    if (!use.variable.isEmpty())
        return "<secret:" + use.variable.toUtf8() + '>';
    return kRedacted;
}

HttpRequest redacted(const HttpRequest &request, const QList<SecretUse> &secrets)
{
    HttpRequest out = request;
    out.url = redactUrl(request.url, secrets);
    out.headers = redactHeaders(request.headers, secrets, false);
    out.body = redactBody(request.body, secrets);
    return out;
}

Exchange redacted(const Exchange &exchange)
{
    Exchange out = exchange;
    const QList<SecretUse> &secrets = exchange.secrets;
    out.original = redacted(exchange.original, secrets);
    for (Hop &hop : out.hops) {
        hop.request.url = redactUrl(hop.request.url, secrets);
        hop.request.headers = redactHeaders(hop.request.headers, secrets, false);
        hop.request.body = redactBody(hop.request.body, secrets);
        hop.response.headers = redactHeaders(hop.response.headers, secrets, true);
    }
    const QList<SecretUse> sent = sentSecrets(exchange);
    for (Hop &hop : out.hops) {
        if (!hop.response.body.isInFile())
            hop.response.body.bytes = replaceSecrets(hop.response.body.bytes, sent);
    }
    for (SecretUse &s : out.secrets)
        s.value.clear();
    return out;
}

} // namespace portolan::http
