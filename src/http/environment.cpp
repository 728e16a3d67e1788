#include "environment.h"

#include "privatefiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

#include <functional>

namespace portolan::http {

const Variable *Environment::find(const QString &variableName) const
{
    for (const Variable &v : variables) {
        if (v.name == variableName)
            return &v;
    }
    return nullptr;
}

namespace {

// Replaces every {{name}} in `text`, each value passed through `encode` first.
QString substitute(const QString &text, const Environment &environment, Substitution *result,
                   const std::function<QString(const QString &)> &encode)
{
    static const QRegularExpression pattern(QStringLiteral(R"(\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\})"));
    QString out;
    qsizetype last = 0;
    for (QRegularExpressionMatchIterator it = pattern.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += text.mid(last, m.capturedStart() - last);
        last = m.capturedEnd();
        const Variable *variable = environment.find(m.captured(1));
        if (!variable || (variable->secret && variable->value.isEmpty())) {
            if (result && !result->missing.contains(m.captured(1)))
                result->missing.append(m.captured(1));
            out += m.captured(0);
            continue;
        }
        out += encode ? encode(variable->value) : variable->value;
        if (variable->secret && result)
            result->secrets.append({SecretUse::Location::Header, {}, {}, variable->name, variable->value.toUtf8()});
    }
    return out + text.mid(last);
}

} // namespace

QString substituteVariables(const QString &text, const Environment &environment, Substitution *result)
{
    return substitute(text, environment, result, {});
}

HttpRequest substituteVariables(const HttpRequest &request, const Environment &environment, Substitution *result)
{
    HttpRequest out = request;
    // QUrl percent-encodes the braces (and spaces) of {{ name }}: undo that first.
    static const QRegularExpression encoded(QStringLiteral(R"(%7B%7B(?:%20)*([A-Za-z0-9_.\-]+)(?:%20)*%7D%7D)"),
                                            QRegularExpression::CaseInsensitiveOption);
    QString url = QString::fromUtf8(request.url.toEncoded());
    url.replace(encoded, QStringLiteral("{{\\1}}"));
    // A value is one path segment or one query value: everything but unreserved
    // characters is percent-encoded, so "a&b" stays one parameter and "a/b" one segment.
    out.url = QUrl(substitute(url, environment, result,
                              [](const QString &value) { return QString::fromLatin1(QUrl::toPercentEncoding(value)); }));
    for (HeaderField &h : out.headers)
        h.value = substituteVariables(QString::fromUtf8(h.value), environment, result).toUtf8();
    for (BodySegment &s : out.body.segments) {
        if (!s.isFile())
            s.bytes = substituteVariables(QString::fromUtf8(s.bytes), environment, result).toUtf8();
    }
    return out;
}

EnvironmentStore::EnvironmentStore(const QString &file)
    : m_file(file.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/environments.json")
                            : file)
{
}

QList<Environment> EnvironmentStore::load(QString *error) const
{
    QList<Environment> environments;
    QFile file(m_file);
    if (!file.exists())
        return environments;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(m_file, file.errorString());
        return environments;
    }
    QJsonParseError parse;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parse);
    if (parse.error != QJsonParseError::NoError) {
        *error = QStringLiteral("%1 is damaged at byte %2: %3").arg(m_file).arg(parse.offset).arg(parse.errorString());
        return environments;
    }
    for (const QJsonValue &e : document.object().value(QStringLiteral("environments")).toArray()) {
        Environment environment;
        environment.name = e.toObject().value(QStringLiteral("name")).toString();
        for (const QJsonValue &v : e.toObject().value(QStringLiteral("variables")).toArray()) {
            const QJsonObject o = v.toObject();
            environment.variables.append({o.value(QStringLiteral("name")).toString(), o.value(QStringLiteral("value")).toString(),
                                          o.value(QStringLiteral("secret")).toBool()});
        }
        environments.append(environment);
    }
    return environments;
}

bool EnvironmentStore::save(const QList<Environment> &environments, QString *error) const
{
    QJsonArray list;
    for (const Environment &e : environments) {
        QJsonArray variables;
        for (const Variable &v : e.variables) {
            QJsonObject o{{QStringLiteral("name"), v.name}};
            if (v.secret)
                o.insert(QStringLiteral("secret"), true);  // the value stays in the keychain
            else
                o.insert(QStringLiteral("value"), v.value);
            variables.append(o);
        }
        list.append(QJsonObject{{QStringLiteral("name"), e.name}, {QStringLiteral("variables"), variables}});
    }
    if (!makePrivateDirectory(QFileInfo(m_file).absolutePath(), error))
        return false;
    QSaveFile file(m_file);
    if (!file.open(QIODevice::WriteOnly) || !makeOwnerOnly(file)
        || file.write(QJsonDocument(QJsonObject{{QStringLiteral("environments"), list}}).toJson()) < 0 || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_file, file.errorString());
        return false;
    }
    return true;
}

} // namespace portolan::http
