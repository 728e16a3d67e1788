#pragma once

#include "exchange.h"
#include "httprequest.h"

#include <QList>
#include <QString>

namespace portolan::http {

struct Variable {
    QString name;
    QString value;        // for a secret: only in memory, filled from the keychain (SecretVariableStore::fill)
    bool secret = false;
};

// A named set of variables ("dev", "staging") used as {{name}} in URLs,
// headers and bodies.
struct Environment {
    QString name;
    QList<Variable> variables;
    const Variable *find(const QString &name) const;
};

struct Substitution {
    QStringList missing;        // {{names}} with no value: left as written
    QList<SecretUse> secrets;   // secret variables used, so redaction finds their values
};

// Replaces every {{name}} (spaces inside the braces allowed) in `text`.
QString substituteVariables(const QString &text, const Environment &environment, Substitution *result);
// The same in the URL's path and query (also when its braces are
// percent-encoded; values go in percent-encoded, so each stays one path
// segment or one query value), header values and an in-memory body. File bodies are sent
// as they are. A variable in the host ("https://{{host}}/") makes no valid
// QUrl: substitute the URL text with the function above before parsing it.
HttpRequest substituteVariables(const HttpRequest &request, const Environment &environment, Substitution *result);

// Environments in one JSON file (<AppDataLocation>/environments.json),
// written atomically. Secret variables are saved by name only: their values
// belong in the keychain (SecretVariableStore, in portolan_http_auth), never in this file.
class EnvironmentStore {
public:
    explicit EnvironmentStore(const QString &file = QString());
    QString file() const { return m_file; }
    // An absent file is an empty list; a damaged one an error.
    QList<Environment> load(QString *error) const;
    bool save(const QList<Environment> &environments, QString *error) const;

private:
    QString m_file;
};

} // namespace portolan::http
