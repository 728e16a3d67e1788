#include "clicommand.h"

#include "documentloader.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace portolan;

namespace cli {

namespace {

QJsonArray toJson(const QStringList &list) { return QJsonArray::fromStringList(list); }

QJsonArray toJson(const SecurityRequirement &requirement)
{
    QJsonArray alternatives;
    for (const SecurityAlternative &alternative : requirement) {
        QJsonArray all;
        for (const SchemeUse &use : alternative)
            all.push_back(QJsonObject{{QStringLiteral("scheme"), use.scheme}, {QStringLiteral("scopes"), toJson(use.scopes)}});
        alternatives.push_back(all);
    }
    return alternatives;
}

QJsonObject toJson(const Server &server)
{
    QJsonObject variables;
    for (const ServerVariable &v : server.variables) {
        QJsonObject var{{QStringLiteral("default"), v.defaultValue}};
        if (!v.enumValues.isEmpty())
            var.insert(QStringLiteral("enum"), toJson(v.enumValues));
        if (!v.description.isEmpty())
            var.insert(QStringLiteral("description"), v.description);
        variables.insert(v.name, var);
    }
    return {{QStringLiteral("url"), server.url}, {QStringLiteral("variables"), variables}};
}

QJsonObject toJson(const ApiDocument &api, const Operation &op)
{
    return {{QStringLiteral("method"), op.method},
            {QStringLiteral("path"), op.path},
            {QStringLiteral("operationId"), op.operationId},
            {QStringLiteral("summary"), op.summary},
            {QStringLiteral("tags"), toJson(op.tags)},
            {QStringLiteral("deprecated"), op.deprecated},
            {QStringLiteral("security"), toJson(api.effectiveSecurity(op))}};
}

QJsonObject toJson(const SecurityScheme &s)
{
    QJsonObject o{{QStringLiteral("name"), s.name}, {QStringLiteral("type"), securitySchemeTypeName(s.type)}};
    auto put = [&o](const char *key, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(key), value);
    };
    put("description", s.description);
    put("in", s.in);
    put("parameterName", s.parameterName);
    put("scheme", s.scheme);
    put("bearerFormat", s.bearerFormat);
    put("openIdConnectUrl", s.openIdConnectUrl);
    if (s.type == SecuritySchemeType::OAuth2) {
        QJsonArray flows;
        for (const OAuthFlow &f : s.flows) {
            QJsonObject scopes;
            for (const auto &[name, description] : f.scopes)
                scopes.insert(name, description);
            QJsonObject flow{{QStringLiteral("flow"), oauthFlowName(f.kind)}, {QStringLiteral("scopes"), scopes}};
            auto putFlow = [&flow](const char *key, const QString &value) {
                if (!value.isEmpty())
                    flow.insert(QLatin1String(key), value);
            };
            putFlow("authorizationUrl", f.authorizationUrl);
            putFlow("tokenUrl", f.tokenUrl);
            putFlow("refreshUrl", f.refreshUrl);
            putFlow("deviceAuthorizationUrl", f.deviceAuthorizationUrl);
            flows.push_back(flow);
        }
        o.insert(QStringLiteral("flows"), flows);
    }
    return o;
}

QJsonObject toJson(const Diagnostic &d)
{
    return {{QStringLiteral("severity"), severityName(d.severity)},
            {QStringLiteral("message"), d.message},
            {QStringLiteral("file"), d.location.file},
            {QStringLiteral("line"), d.location.line},
            {QStringLiteral("column"), d.location.column},
            {QStringLiteral("pointer"), d.location.pointer}};
}

QJsonObject summaryJson(const ApiDocument &api)
{
    QJsonArray servers, operations, webhooks, schemes, diagnostics, circular;
    for (const Server &s : api.servers)
        servers.push_back(toJson(s));
    for (const Operation &op : api.operations)
        operations.push_back(toJson(api, op));
    for (const Operation &op : api.webhooks)
        webhooks.push_back(toJson(api, op));
    for (const SecurityScheme &s : api.securitySchemes)
        schemes.push_back(toJson(s));
    for (const Diagnostic &d : api.diagnostics)
        diagnostics.push_back(toJson(d));
    for (const CircularReference &c : api.circularReferences)
        circular.push_back(QJsonObject{{QStringLiteral("file"), c.file}, {QStringLiteral("pointer"), c.pointer}, {QStringLiteral("ref"), c.target}});
    QJsonObject o{{QStringLiteral("format"), api.format == SpecFormat::Swagger ? QStringLiteral("swagger") : QStringLiteral("openapi")},
                  {QStringLiteral("version"), api.specVersion},
                  {QStringLiteral("title"), api.info.title},
                  {QStringLiteral("apiVersion"), api.info.version},
                  {QStringLiteral("servers"), servers},
                  {QStringLiteral("operations"), operations},
                  {QStringLiteral("webhooks"), webhooks},
                  {QStringLiteral("securitySchemes"), schemes},
                  {QStringLiteral("circularReferences"), circular},
                  {QStringLiteral("diagnostics"), diagnostics}};
    if (api.globalSecurity)
        o.insert(QStringLiteral("security"), toJson(*api.globalSecurity));
    return o;
}

QString requirementText(const SecurityRequirement &requirement)
{
    if (requirement.isEmpty())
        return QStringLiteral("none");
    QStringList alternatives;
    for (const SecurityAlternative &alternative : requirement) {
        QStringList all;
        for (const SchemeUse &use : alternative)
            all.push_back(use.scopes.isEmpty() ? use.scheme : use.scheme + QLatin1Char('[') + use.scopes.join(QLatin1Char(',')) + QLatin1Char(']'));
        alternatives.push_back(all.isEmpty() ? QStringLiteral("(optional)") : all.join(QLatin1String(" + ")));
    }
    return alternatives.join(QLatin1String(" | "));
}

void printHuman(const ApiDocument &api)
{
    QTextStream &o = out();
    o << api.info.title << (api.info.version.isEmpty() ? QString() : QStringLiteral(" ") + api.info.version) << '\n'
      << (api.format == SpecFormat::Swagger ? "Swagger " : "OpenAPI ") << api.specVersion << ", "
      << api.documents.size() << (api.documents.size() == 1 ? " document" : " documents") << "\n\n";
    o << "Servers:\n";
    for (const Server &s : api.servers)
        o << "  " << s.url << '\n';
    o << "\nOperations (" << api.operations.size() << "):\n";
    for (const Operation &op : api.operations) {
        o << "  " << op.method.leftJustified(7) << ' ' << op.path;
        if (!op.operationId.isEmpty())
            o << "  [" << op.operationId << ']';
        if (op.deprecated)
            o << "  (deprecated)";
        o << "  security: " << requirementText(api.effectiveSecurity(op)) << '\n';
    }
    if (!api.webhooks.isEmpty()) {
        o << "\nWebhooks (" << api.webhooks.size() << "):\n";
        for (const Operation &op : api.webhooks)
            o << "  " << op.method.leftJustified(7) << ' ' << op.path << '\n';
    }
    o << "\nSecurity schemes (" << api.securitySchemes.size() << "):\n";
    for (const SecurityScheme &s : api.securitySchemes) {
        o << "  " << s.name << ": " << securitySchemeTypeName(s.type);
        if (!s.scheme.isEmpty())
            o << ' ' << s.scheme;
        if (!s.in.isEmpty())
            o << " in " << s.in << " '" << s.parameterName << '\'';
        for (const OAuthFlow &f : s.flows)
            o << ' ' << oauthFlowName(f.kind);
        if (!s.openIdConnectUrl.isEmpty())
            o << ' ' << s.openIdConnectUrl;
        o << '\n';
    }
    if (!api.circularReferences.isEmpty())
        o << "\nCircular references: " << api.circularReferences.size() << '\n';
    if (!api.diagnostics.isEmpty()) {
        o << "\nDiagnostics (" << api.diagnostics.size() << "):\n";
        for (const Diagnostic &d : api.diagnostics)
            o << "  " << formatDiagnostic(d) << '\n';
    }
}

} // namespace

int runInspect(const QStringList &arguments)
{
    bool json = false;
    QString source;
    LoadOptions options;
    for (int i = 0; i < arguments.size(); ++i) {
        const QString &a = arguments[i];
        if (a == QLatin1String("--json")) {
            json = true;
        } else if (a == QLatin1String("--max-size") && i + 1 < arguments.size()) {
            bool ok = false;
            const qint64 megabytes = arguments[++i].toLongLong(&ok);
            if (!ok || megabytes <= 0) {
                err() << "portolan-cli inspect: --max-size takes a number of megabytes\n";
                return UsageError;
            }
            options.maxSourceBytes = megabytes * 1024 * 1024;
        } else if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
            out() << "usage: portolan-cli inspect [--json] [--max-size MB] SOURCE\n"
                     "  SOURCE  an OpenAPI or Swagger document: a file path or an http(s) URL\n"
                     "  --json  print one JSON object instead of the summary\n"
                     "  --max-size MB  refuse sources larger than this (default 256)\n"
                     "exit status: 0 loaded (possibly with diagnostics), 1 not loadable, 2 usage\n";
            return Success;
        } else if (a.startsWith(QLatin1String("--")) || !source.isEmpty()) {
            err() << "portolan-cli inspect: unexpected argument '" << a << "'\n";
            return UsageError;
        } else {
            source = a;
        }
    }
    if (source.isEmpty()) {
        err() << "usage: portolan-cli inspect [--json] SOURCE\n";
        return UsageError;
    }

    DocumentLoader loader;
    int exitCode = Failure;
    QObject::connect(&loader, &DocumentLoader::finished, [&](const LoadResult &result) {
        if (!result.document) {
            for (const Diagnostic &d : result.errors)
                err() << "portolan-cli: " << formatDiagnostic(d) << '\n';
            exitCode = Failure;
        } else {
            if (json)
                out() << QJsonDocument(summaryJson(*result.document)).toJson(QJsonDocument::Indented);
            else
                printHuman(*result.document);
            exitCode = Success;
        }
        QCoreApplication::quit();
    });
    loader.load(sourceUrlFromUserInput(source), options);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace cli
