#include "digest.h"

#include "jose.h"

#include <QCryptographicHash>

namespace portolan::auth {

namespace {

bool isTokenChar(char c)
{
    return c > 32 && c < 127 && !strchr("()<>@,;:\\\"/[]?={}", c);
}

void skipSpaces(const QByteArray &s, int &i)
{
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
        ++i;
}

QByteArray readToken(const QByteArray &s, int &i)
{
    const int start = i;
    while (i < s.size() && isTokenChar(s[i]))
        ++i;
    return s.mid(start, i - start);
}

QByteArray readQuoted(const QByteArray &s, int &i)
{
    QByteArray value;
    ++i;  // opening quote
    while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size())
            ++i;
        value += s[i++];
    }
    ++i;  // closing quote
    return value;
}

QByteArray quote(const QByteArray &value)
{
    QByteArray out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

} // namespace

QList<AuthChallenge> parseAuthChallenges(const QByteArray &header)
{
    // challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ], comma separated.
    QList<AuthChallenge> challenges;
    int i = 0;
    while (i < header.size()) {
        skipSpaces(header, i);
        if (i < header.size() && header[i] == ',') {
            ++i;
            continue;
        }
        const QByteArray scheme = readToken(header, i);
        if (scheme.isEmpty())
            break;
        AuthChallenge challenge;
        challenge.scheme = QString::fromLatin1(scheme);
        for (;;) {
            skipSpaces(header, i);
            const int save = i;
            const QByteArray name = readToken(header, i);
            skipSpaces(header, i);
            if (name.isEmpty() || i >= header.size() || header[i] != '=') {
                i = save;  // the next challenge's scheme, or token68 we do not need
                if (!name.isEmpty() && challenge.parameters.isEmpty()) {
                    while (i < header.size() && header[i] != ',')
                        ++i;
                }
                break;
            }
            ++i;
            skipSpaces(header, i);
            const QByteArray value = (i < header.size() && header[i] == '"') ? readQuoted(header, i) : readToken(header, i);
            challenge.parameters.insert(QString::fromLatin1(name).toLower(), QString::fromUtf8(value));
            skipSpaces(header, i);
            if (i < header.size() && header[i] == ',')
                ++i;
        }
        challenges.append(challenge);
    }
    return challenges;
}

QByteArray DigestResponder::authorization(const QByteArray &wwwAuthenticate, const QString &method,
                                          const QByteArray &requestUri, const QByteArray &body,
                                          const QString &username, const QByteArray &password, QString *error,
                                          const QByteArray &clientNonce)
{
    const QList<AuthChallenge> challenges = parseAuthChallenges(wwwAuthenticate);
    // Prefer the strongest algorithm the server offers (RFC 7616 §3.7).
    const AuthChallenge *chosen = nullptr;
    int chosenRank = -1;
    QStringList unsupported;
    for (const AuthChallenge &challenge : challenges) {
        if (challenge.scheme.compare(QLatin1String("Digest"), Qt::CaseInsensitive) != 0)
            continue;
        const QString algorithm = challenge.parameters.value(QStringLiteral("algorithm"), QStringLiteral("MD5")).toUpper();
        QString base = algorithm;
        base.remove(QLatin1String("-SESS"));
        const int rank = base == QLatin1String("MD5") ? 0 : base == QLatin1String("SHA-256") ? 1 : -1;
        if (rank < 0)
            unsupported.append(algorithm);
        else if (rank > chosenRank) {
            chosen = &challenge;
            chosenRank = rank;
        }
    }
    if (!chosen) {
        *error = unsupported.isEmpty() ? QStringLiteral("the server did not send a Digest challenge")
                                       : QStringLiteral("unsupported digest algorithm %1").arg(unsupported.join(QLatin1String(", ")));
        return {};
    }
    const auto &p = chosen->parameters;
    const QString algorithm = p.value(QStringLiteral("algorithm"), QStringLiteral("MD5"));
    const bool session = algorithm.endsWith(QLatin1String("-sess"), Qt::CaseInsensitive);
    const QCryptographicHash::Algorithm hashAlgorithm = chosenRank == 0 ? QCryptographicHash::Md5
                                                                        : QCryptographicHash::Sha256;
    auto H = [hashAlgorithm](const QByteArray &data) { return QCryptographicHash::hash(data, hashAlgorithm).toHex(); };

    const QStringList qops = p.value(QStringLiteral("qop")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    QString qop;
    for (const QString &candidate : qops) {
        const QString trimmed = candidate.trimmed().toLower();
        if (trimmed == QLatin1String("auth"))
            qop = trimmed;
        else if (trimmed == QLatin1String("auth-int") && qop.isEmpty())
            qop = trimmed;
    }
    if (!qops.isEmpty() && qop.isEmpty()) {
        *error = QStringLiteral("the server asks for digest qop \"%1\", which is not supported").arg(p.value(QStringLiteral("qop")));
        return {};
    }
    const QByteArray realm = p.value(QStringLiteral("realm")).toUtf8();
    const QByteArray nonce = p.value(QStringLiteral("nonce")).toUtf8();
    if (nonce.isEmpty()) {
        *error = QStringLiteral("the digest challenge has no nonce");
        return {};
    }
    const QByteArray cnonce = clientNonce.isEmpty() ? randomToken(16) : clientNonce;
    const quint32 count = ++m_nonceCounts[QString::fromUtf8(nonce)];
    const QByteArray nc = QByteArray::number(count, 16).rightJustified(8, '0');
    const bool userhash = p.value(QStringLiteral("userhash")).compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    const QByteArray user = username.toUtf8();

    QByteArray ha1 = H(user + ':' + realm + ':' + password);
    if (session)
        ha1 = H(ha1 + ':' + nonce + ':' + cnonce);
    QByteArray a2 = method.toLatin1() + ':' + requestUri;
    if (qop == QLatin1String("auth-int"))
        a2 += ':' + H(body);
    const QByteArray ha2 = H(a2);
    const QByteArray response = qop.isEmpty() ? H(ha1 + ':' + nonce + ':' + ha2)
                                              : H(ha1 + ':' + nonce + ':' + nc + ':' + cnonce + ':' + qop.toLatin1() + ':' + ha2);

    QByteArray header = "Digest username=" + quote(userhash ? H(user + ':' + realm) : user) + ", realm=" + quote(realm)
        + ", nonce=" + quote(nonce) + ", uri=" + quote(requestUri) + ", algorithm=" + algorithm.toLatin1()
        + ", response=" + quote(response);
    if (!qop.isEmpty())
        header += ", qop=" + qop.toLatin1() + ", nc=" + nc + ", cnonce=" + quote(cnonce);
    if (p.contains(QStringLiteral("opaque")))
        header += ", opaque=" + quote(p.value(QStringLiteral("opaque")).toUtf8());
    if (userhash)
        header += ", userhash=true";
    return header;
}

} // namespace portolan::auth
