#include "crossorigin.h"

namespace portolan::http {

namespace {

// Whether `text` carries one of the secret values. Values shorter than four
// bytes match only whole, or they would match ordinary text everywhere.
bool carriesSecret(const QByteArray &text, const QList<SecretUse> &secrets)
{
    for (const SecretUse &s : secrets) {
        if (s.value.isEmpty())
            continue;
        if (s.value.size() >= 4 ? text.contains(s.value) : text == s.value)
            return true;
    }
    return false;
}

bool namedSecret(const QList<SecretUse> &secrets, SecretUse::Location location, const QByteArray &name)
{
    for (const SecretUse &s : secrets) {
        if (s.location == location && !s.name.isEmpty() && s.name.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

CrossOriginRedirect withholdCredentials(HttpRequest *next, const QUrl &from, const QList<SecretUse> &secrets)
{
    CrossOriginRedirect result;
    const QString reason = QStringLiteral("the redirect leaves %1 for %2: credentials go only to the origin of the request")
                               .arg(originText(from), originText(next->url));

    HeaderList kept;
    for (const HeaderField &h : std::as_const(next->headers)) {
        const QByteArray lower = h.name.toLower();
        if (lower == "authorization" || lower == "proxy-authorization" || lower == "cookie"
            || namedSecret(secrets, SecretUse::Location::Header, h.name) || carriesSecret(h.value, secrets))
            result.withheld.append({QStringLiteral("header %1").arg(QString::fromLatin1(h.name)), reason});
        else
            kept.append(h);
    }
    next->headers = kept;

    if (next->url.hasQuery()) {
        QList<QByteArray> pairs;
        for (const QByteArray &pair : next->url.query(QUrl::FullyEncoded).toLatin1().split('&')) {
            const qsizetype eq = pair.indexOf('=');
            const QByteArray name = QByteArray::fromPercentEncoding(eq < 0 ? pair : pair.left(eq));
            QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
            value = QByteArray::fromPercentEncoding(value.replace('+', ' '));
            if (namedSecret(secrets, SecretUse::Location::Query, name) || carriesSecret(value, secrets))
                result.withheld.append({QStringLiteral("query parameter %1").arg(QString::fromUtf8(name)), reason});
            else
                pairs.append(pair);
        }
        if (pairs.isEmpty())
            next->url.setQuery(QString());
        else
            next->url.setQuery(QString::fromLatin1(pairs.join('&')), QUrl::StrictMode);
    }

    // A secret in the path or the body cannot be taken out without changing what is asked.
    if (carriesSecret(next->url.path(QUrl::FullyDecoded).toUtf8(), secrets))
        result.refusal = QStringLiteral("the redirect to %1 was not followed: its path carries a secret").arg(originText(next->url));
    else if (next->body.isInMemory() && carriesSecret(next->body.inMemoryBytes(), secrets))
        result.refusal = QStringLiteral("the redirect to %1 was not followed: it would send the request body, which carries a secret, there")
                             .arg(originText(next->url));
    return result;
}

} // namespace portolan::http
