#pragma once

#include "environment.h"
#include "requestbuilder.h"

#include <apimodel.h>

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace portolan::client {

// One problem with what the user gave, and where: a parameter
// ("query parameter 'limit'"), a server variable, or a place in the body as a
// JSON pointer ("body /pet/name"). A validator of request bodies adds its
// findings to the same list.
struct ValidationIssue {
    QString location;
    QString message;
    QString toString() const { return location + QStringLiteral(": ") + message; }
};
using ValidationResult = QList<ValidationIssue>;

// A parameter's value as the user typed it (a CLI --param, a form field).
// `in` unset: the parameter is found by name (an error when two locations
// declare it). Empty text = not given.
struct ParameterText {
    std::optional<ParameterLocation> in;
    QString name;
    QString text;
};

// Everything the user chose for one request, as either front end collects it.
struct RequestInput {
    QString server;                           // a server's URL template, or a URL typed by the user; empty = the first
    QHash<QString, QString> serverVariables;  // overrides the variables' defaults
    QList<ParameterText> parameters;
    http::BodyInput body;
    http::HeaderList extraHeaders;            // added last, replacing same-named ones
    // {{name}} values, secret ones already read from the keychain (SecretVariableStore::fill).
    std::optional<http::Environment> environment;
    QStringList environmentProblems;          // why secret values could not be read, if so
};

struct RequestPlan {
    http::HttpRequest request;          // the wire request, before credentials are applied
    ValidationResult issues;            // values the schemas refuse: not sent unless the user insists
    ValidationResult errors;            // what makes the request impossible to build or send
    http::Substitution substitution;    // the environment's part: secret values to redact
    bool usageError = false;            // an error in how the input was given (not a server or keychain failure)

    bool canSend(bool validate) const { return errors.isEmpty() && (!validate || issues.isEmpty()); }
    // Errors, then issues when `validate`, one "location: message" each.
    QStringList messages(bool validate = true) const;
};

// Operation + input (+ environment) -> the request to send, with every
// parameter checked against its schema. The environment is applied in one
// order: to the server URL, its variables and the parameter values before
// they are checked and serialized (a variable may be the host, or a number),
// then to what remains in the built request (extra headers, the body).
RequestPlan planRequest(const ApiDocument &document, const Operation &operation, const RequestInput &input);

// The URL planRequest() would send to, for showing while the user types:
// nothing is read from the keychain, so secret {{variables}} (and those the
// environment lacks) stay as written, and a path parameter without a value
// shows as {name}. Never fails: an unbuildable URL shows as server + path.
// `details` are the operation's, read once by the caller (operationDetails()):
// it runs for every keystroke.
QString previewUrl(const ApiDocument &document, const Operation &operation, const OperationDetails &details,
                   const RequestInput &input);

// Required, type, enum, pattern, minimum/maximum, lengths and item counts of
// each declared parameter, against the text the user typed.
// `declaredParameters`: the operation's (OperationDetails::parameters).
ValidationResult validateParameters(const ApiDocument &document, const QList<Parameter> &declaredParameters,
                                    const QList<ParameterText> &parameters);

// "query parameter 'limit'": how issues name a parameter.
QString parameterLocation(ParameterLocation in, const QString &name);

// A body typed as text (an editor, --body TEXT): a JSON object for a form
// media type becomes its fields; anything else is sent as typed.
http::BodyInput bodyFromText(const QString &contentType, const QString &text);

// The server URL template with its variables filled in (defaults for those
// not in `values`) and checked against their enums. Environment variables
// stay as {{name}}.
QString resolveServerTemplate(const Server &server, const QHash<QString, QString> &values, ValidationResult *issues = nullptr);

} // namespace portolan::client
