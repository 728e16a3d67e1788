#include "requestplan.h"

#include "bodyvalidator.h"
#include "parameterschema.h"
#include "referenceresolver.h"

#include <QCoreApplication>
#include <QFile>
#include <algorithm>
#include <QJsonDocument>
#include <QJsonObject>

namespace portolan::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portolan::client::RequestPlan", text);
}

// The declared parameter a typed value is for, or null for an undeclared
// one. False with `error` when the name matches parameters in two places.
bool declaredParameter(const QList<Parameter> &declaredParameters, const ParameterText &given, const Parameter **found,
                       QString *error)
{
    QList<const Parameter *> matches;
    for (const Parameter &declared : declaredParameters) {
        if (declared.name == given.name && (!given.in || declared.in == *given.in))
            matches.append(&declared);
    }
    if (matches.size() > 1) {
        *error = tr("'%1' is ambiguous: write %2:%1 or %3:%1")
                     .arg(given.name, parameterLocationName(matches[0]->in), parameterLocationName(matches[1]->in));
        return false;
    }
    *found = matches.value(0);
    return true;
}

// The bytes of a body to check against its schema: one in memory, or one file
// small enough to read (a large upload streams from disk and is sent unchecked).
bool bodyBytesToValidate(const http::RequestBodyData &body, QByteArray *bytes)
{
    constexpr qint64 kLargestCheckedFile = 16 * 1024 * 1024;
    if (body.isEmpty())
        return false;
    if (body.isInMemory()) {
        *bytes = body.inMemoryBytes();
        return true;
    }
    if (body.segments.size() != 1)
        return false;
    QFile file(body.segments.first().filePath);
    if (file.size() > kLargestCheckedFile || !file.open(QIODevice::ReadOnly))
        return false;
    *bytes = file.readAll();
    return true;
}

} // namespace

QStringList RequestPlan::messages(bool validate) const
{
    QStringList out;
    for (const ValidationIssue &e : errors)
        out << e.toString();
    if (validate)
        for (const ValidationIssue &i : issues)
            out << i.toString();
    return out;
}

QString parameterLocation(ParameterLocation in, const QString &name)
{
    return QStringLiteral("%1 parameter '%2'").arg(parameterLocationName(in), name);
}

QString resolveServerTemplate(const Server &server, const QHash<QString, QString> &values, ValidationResult *issues)
{
    QList<http::BuildError> errors;
    const QString url = http::RequestBuilder::substituteServerVariables(server, values, &errors);
    if (issues)
        for (const http::BuildError &e : errors)
            issues->append({e.location, e.message});
    return url;
}

http::BodyInput bodyFromText(const QString &contentType, const QString &text)
{
    http::BodyInput body;
    body.contentType = contentType;
    const QJsonDocument json = QJsonDocument::fromJson(text.toUtf8());
    if (contentType.contains(QLatin1String("form")) && json.isObject()) {
        body.source = http::BodyInput::Source::Value;
        body.value = json.object();
    } else {
        body.source = http::BodyInput::Source::Raw;
        body.raw = text.toUtf8();
    }
    return body;
}

ValidationResult validateParameters(const ApiDocument &document, const QList<Parameter> &declaredParameters,
                                    const QList<ParameterText> &parameters)
{
    ValidationResult issues;
    const ReferenceResolver resolver(document.documents);
    for (const Parameter &declared : declaredParameters) {
        if (declared.in == ParameterLocation::FormData)
            continue;  // Swagger 2.0 form fields are part of the body
        QString text;
        for (const ParameterText &given : parameters)
            if (given.name == declared.name && (!given.in || *given.in == declared.in) && !given.text.isEmpty())
                text = given.text;
        const QString problem = validateField(readFieldSchema(declared.schema, resolver), text, declared.required);
        if (!problem.isEmpty())
            issues.append({parameterLocation(declared.in, declared.name), problem});
    }
    return issues;
}

namespace {

// planRequest() with the operation's details read already (previewUrl()'s
// caller keeps them): they are read from the document.
RequestPlan planRequest(const ApiDocument &document, const Operation &operation, const OperationDetails &details,
                        const RequestInput &input)
{
    RequestPlan plan;
    const http::Environment *environment = input.environment ? &*input.environment : nullptr;
    auto substituted = [&](const QString &text) {
        return environment ? http::substituteVariables(text, *environment, &plan.substitution) : text;
    };

    http::BuildInput build;
    // The environment before building: a variable may be the host or a server variable.
    build.serverUrl = substituted(input.server);
    for (auto it = input.serverVariables.begin(); it != input.serverVariables.end(); ++it)
        build.serverVariables.insert(it.key(), substituted(it.value()));
    // A URL the user typed is not a template of the document: no variables to check.
    const QList<Server> &servers = document.effectiveServers(operation);
    for (const Server &server : servers)
        if (server.url == input.server || (input.server.isEmpty() && &server == &servers.first()))
            resolveServerTemplate(server, build.serverVariables, &plan.issues);

    // Values are checked and serialized as they will be sent: with the environment's values in them.
    QList<ParameterText> parameters = input.parameters;
    for (ParameterText &given : parameters)
        given.text = substituted(given.text);

    const http::RequestBuilder builder(document);
    for (const ParameterText &given : parameters) {
        const Parameter *declared = nullptr;
        QString error;
        if (!declaredParameter(details.parameters, given, &declared, &error)) {
            plan.errors.append({tr("parameter '%1'").arg(given.name), error});
            plan.usageError = true;
            continue;
        }
        if (given.text.isEmpty())
            continue;
        if (declared) {
            build.parameters.append({declared->in, declared->name, builder.valueFromText(*declared, given.text)});
        } else {
            // Undeclared: a {name} of the path template if there is one, else a query parameter.
            const bool inPath = operation.path().contains(QLatin1Char('{') + given.name + QLatin1Char('}'));
            build.parameters.append({given.in.value_or(inPath ? ParameterLocation::Path : ParameterLocation::Query),
                                     given.name, given.text});
        }
    }
    build.body = input.body;
    build.extraHeaders = input.extraHeaders;

    plan.issues += validateParameters(document, details.parameters, parameters);

    const http::BuildResult built = builder.build(operation, details, build);
    for (const http::BuildError &e : built.errors) {
        // A missing required value is already an issue of its parameter; say it once.
        const bool known = std::any_of(plan.issues.cbegin(), plan.issues.cend(),
                                       [&](const ValidationIssue &i) { return i.location == e.location; });
        if (!known)
            plan.errors.append({e.location, e.message});
    }
    plan.request = built.request;
    if (!plan.errors.isEmpty())
        plan.usageError = true;
    if (environment) {
        plan.request = http::substituteVariables(plan.request, *environment, &plan.substitution);
        plan.substitution.missing.removeDuplicates();
        if (!plan.substitution.missing.isEmpty()) {
            QString message = tr("no value for %1").arg(QStringLiteral("{{") + plan.substitution.missing.join(QStringLiteral("}}, {{"))
                                                        + QStringLiteral("}}"));
            if (!input.environmentProblems.isEmpty())
                message += QStringLiteral(": ") + input.environmentProblems.join(QStringLiteral("; "));
            else
                plan.usageError = true;
            plan.errors.append({tr("environment '%1'").arg(environment->name), message});
        }
    }
    // The body as it will be sent (variables filled in) against its media type's schema.
    QByteArray bodyBytes;
    if (bodyBytesToValidate(plan.request.body, &bodyBytes)) {
        const http::BodyCheck body = http::BodyValidator(document).validateRequest(
            details.requestBody, http::headerValue(plan.request.headers, "Content-Type"), bodyBytes);
        for (const http::BodyProblem &problem : body.problems)
            plan.issues.append({problem.line > 0 ? tr("body line %1").arg(problem.line) : tr("body"), problem.message});
    }
    return plan;
}

} // namespace

RequestPlan planRequest(const ApiDocument &document, const Operation &operation, const RequestInput &input)
{
    return planRequest(document, operation, operationDetails(document, operation), input);
}

QString previewUrl(const ApiDocument &document, const Operation &operation, const OperationDetails &details,
                   const RequestInput &input)
{
    RequestInput preview;
    preview.server = input.server;
    preview.serverVariables = input.serverVariables;
    preview.parameters = input.parameters;
    if (input.environment) {
        // Secret values are only read when sending; their {{name}} stays in the preview.
        http::Environment visible{input.environment->name, {}};
        for (const http::Variable &variable : input.environment->variables)
            if (!variable.secret)
                visible.variables.append(variable);
        preview.environment = visible;
    }
    // A path parameter with no value yet shows as its template placeholder.
    for (const Parameter &declared : details.parameters) {
        if (declared.in != ParameterLocation::Path)
            continue;
        const bool given = std::any_of(preview.parameters.cbegin(), preview.parameters.cend(), [&](const ParameterText &p) {
            return p.name == declared.name && (!p.in || *p.in == ParameterLocation::Path) && !p.text.isEmpty();
        });
        if (!given)
            preview.parameters.append({ParameterLocation::Path, declared.name, QLatin1Char('{') + declared.name + QLatin1Char('}')});
    }
    const RequestPlan plan = planRequest(document, operation, details, preview);
    if (!plan.request.url.isValid() || plan.request.url.isEmpty()) {
        const QList<Server> &servers = document.effectiveServers(operation);
        QString server = input.server;
        for (const Server &candidate : servers)
            if (candidate.url == input.server || (input.server.isEmpty() && &candidate == &servers.first()))
                server = resolveServerTemplate(candidate, input.serverVariables);
        while (server.endsWith(QLatin1Char('/')))
            server.chop(1);
        return server + operation.path();
    }
    // As sent (percent-encoded), but placeholders' braces read as typed.
    QString url = plan.request.url.toString(QUrl::FullyEncoded);
    url.replace(QLatin1String("%7B"), QLatin1String("{"), Qt::CaseInsensitive);
    url.replace(QLatin1String("%7D"), QLatin1String("}"), Qt::CaseInsensitive);
    return url;
}

} // namespace portolan::client
