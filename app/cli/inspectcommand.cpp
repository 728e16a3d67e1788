#include "clicommand.h"

#include "documentloader.h"

#include "jsonwriter.h"

#include <QCoreApplication>

#include <optional>
#include <utility>

using namespace portolan;

namespace cli {

namespace {

void write(JsonWriter &w, const QStringList &list)
{
    w.beginArray();
    for (const QString &item : list)
        w.value(item);
    w.endArray();
}

void write(JsonWriter &w, const SecurityRequirement &requirement)
{
    w.beginArray();
    for (const SecurityAlternative &alternative : requirement) {
        w.beginArray();
        for (const SchemeUse &use : alternative) {
            w.beginObject();
            w.field("scheme", use.scheme);
            w.key("scopes");
            write(w, use.scopes);
            w.endObject();
        }
        w.endArray();
    }
    w.endArray();
}

void write(JsonWriter &w, const Server &server)
{
    w.beginObject();
    w.field("url", server.url);
    if (!server.description.isEmpty())
        w.field("description", server.description);
    w.key("variables");
    w.beginObject();
    for (const ServerVariable &v : server.variables) {
        w.nameKey(v.name);
        w.beginObject();
        w.field("default", v.defaultValue);
        if (!v.enumValues.isEmpty()) {
            w.key("enum");
            write(w, v.enumValues);
        }
        if (!v.description.isEmpty())
            w.field("description", v.description);
        w.endObject();
    }
    w.endObject();
    w.endObject();
}

void write(JsonWriter &w, const ApiDocument &api, const Operation &op)
{
    w.beginObject();
    w.field("method", op.method);
    w.field("path", op.pathText);
    w.field("operationId", op.operationIdText);
    w.field("summary", op.summary);
    w.key("tags");
    write(w, op.tags);
    w.field("deprecated", op.deprecated);
    w.key("security");
    write(w, api.effectiveSecurity(op));
    w.endObject();
}

// Writes the field only when it has a value: absent beats "".
void writeIfSet(JsonWriter &w, JsonWriter::Key key, const QString &value)
{
    if (!value.isEmpty())
        w.field(key, value);
}

void write(JsonWriter &w, const SecurityScheme &s)
{
    w.beginObject();
    w.field("name", s.name);
    w.field("type", securitySchemeTypeName(s.type));
    writeIfSet(w, "description", s.description);
    writeIfSet(w, "in", s.in);
    writeIfSet(w, "parameterName", s.parameterName);
    writeIfSet(w, "scheme", s.scheme);
    writeIfSet(w, "bearerFormat", s.bearerFormat);
    writeIfSet(w, "openIdConnectUrl", s.openIdConnectUrl);
    if (s.type == SecuritySchemeType::OAuth2) {
        w.key("flows");
        w.beginArray();
        for (const OAuthFlow &f : s.flows) {
            w.beginObject();
            w.field("flow", oauthFlowName(f.kind));
            writeIfSet(w, "authorizationUrl", f.authorizationUrl);
            writeIfSet(w, "tokenUrl", f.tokenUrl);
            writeIfSet(w, "refreshUrl", f.refreshUrl);
            writeIfSet(w, "deviceAuthorizationUrl", f.deviceAuthorizationUrl);
            w.key("scopes");
            w.beginObject();
            for (const auto &[name, description] : f.scopes) {
                w.nameKey(name);
                w.value(description);
            }
            w.endObject();
            w.endObject();
        }
        w.endArray();
    }
    w.endObject();
}

void write(JsonWriter &w, const Diagnostic &d)
{
    writeDiagnostic(w, d);
}

template <typename List, typename... Context>
void writeList(JsonWriter &w, JsonWriter::Key key, const List &list, const Context &...context)
{
    w.key(key);
    w.beginArray();
    for (const auto &item : list)
        write(w, context..., item);
    w.endArray();
}

// The summary but its diagnostics, left open for them (see writeDiagnostics()):
// written while the document is still being checked.
void writeModel(JsonWriter &w, const ApiDocument &api)
{
    w.beginObject();
    w.field("format", api.format == SpecFormat::Swagger ? "swagger" : "openapi");
    w.field("version", api.specVersion);
    w.field("title", api.info.title);
    w.field("apiVersion", api.info.version);
    writeList(w, "servers", api.servers);
    if (api.globalSecurity) {
        w.key("security");
        write(w, *api.globalSecurity);
    }
    writeList(w, "operations", api.operations, api);
    writeList(w, "webhooks", api.webhooks, api);
    writeList(w, "securitySchemes", api.securitySchemes);
    w.key("circularReferences");
    w.beginArray();
    for (const CircularReference &c : api.circularReferences) {
        w.beginObject();
        w.field("file", c.file);
        w.field("pointer", c.pointer);
        w.field("ref", c.target);
        w.endObject();
    }
    w.endArray();
}

void writeDiagnostics(JsonWriter &w, const ApiDocument &api)
{
    writeList(w, "diagnostics", api.diagnostics);
    w.endObject();
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

// The summary but its diagnostics (see printDiagnostics()): printed while
// the document is still being checked.
void printModel(const ApiDocument &api)
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
        o << "  " << op.method.leftJustified(7) << ' ' << op.path();
        if (!op.operationIdText.empty())
            o << "  [" << op.operationId() << ']';
        if (op.deprecated)
            o << "  (deprecated)";
        o << "  security: " << requirementText(api.effectiveSecurity(op)) << '\n';
    }
    if (!api.webhooks.isEmpty()) {
        o << "\nWebhooks (" << api.webhooks.size() << "):\n";
        for (const Operation &op : api.webhooks)
            o << "  " << op.method.leftJustified(7) << ' ' << op.path() << '\n';
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
}

void printDiagnostics(const ApiDocument &api)
{
    QTextStream &o = out();
    if (!api.diagnostics.isEmpty()) {
        o << "\nDiagnostics (" << api.diagnostics.size() << "):\n";
        for (const Diagnostic &d : api.diagnostics)
            o << "  " << formatDiagnostic(d) << '\n';
    }
}

} // namespace

int runInspect(const QStringList &arguments)
{
    CommandLine line(QStringLiteral("inspect"),
                     QStringLiteral("Summarizes an OpenAPI or Swagger document: servers, operations, security and diagnostics.\n"
                                    "Exit status: 0 loaded (possibly with diagnostics), 1 not loadable, 2 usage."),
                     {{QStringLiteral("SOURCE"), QStringLiteral("an OpenAPI or Swagger document: a file path or an http(s) URL")}});
    line.parser.addOptions({
        {QStringLiteral("json"), QStringLiteral("print one JSON object instead of the summary")},
        {QStringLiteral("max-size"), QStringLiteral("refuse sources larger than this (default 256)"), QStringLiteral("MB")},
    });
    if (const int code = line.parse(arguments, 1, 1); code >= 0)
        return code;
    const bool json = line.parser.isSet(QStringLiteral("json"));
    const QString source = line.parser.positionalArguments().first();
    LoadOptions options = loadOptions();
    if (line.parser.isSet(QStringLiteral("max-size"))) {
        bool ok = false;
        const qint64 megabytes = line.parser.value(QStringLiteral("max-size")).toLongLong(&ok);
        if (!ok || megabytes <= 0)
            return line.usageError(QStringLiteral("--max-size takes a number of megabytes"));
        options.maxSourceBytes = megabytes * 1024 * 1024;
    }

    const std::unique_ptr<DocumentLoader> loader = newDocumentLoader();
    // All but the diagnostics is written as soon as the model is read, while
    // the document is checked: for a large description that was a tenth of
    // the run, spent after the check.
    std::optional<JsonWriter> writer;
    bool modelWritten = false;
    auto writeModelOnce = [&](const ApiDocument &document) {
        if (std::exchange(modelWritten, true))
            return;
        if (json) {
            out().flush();
            writer.emplace(stdout);
            writeModel(*writer, document);
        } else {
            printModel(document);
        }
    };
    QObject::connect(loader.get(), &DocumentLoader::modelRead,
                     [&](const std::shared_ptr<const ApiDocument> &document) { writeModelOnce(*document); });
    QObject::connect(loader.get(), &DocumentLoader::finished, [&](const LoadResult &result) {
        if (!result.document) {
            for (const Diagnostic &d : result.errors)
                err() << "portolan-cli: " << formatDiagnostic(d) << '\n';
            exitAfterOutput(Failure);
        }
        writeModelOnce(*result.document);
        if (json) {
            writeDiagnostics(*writer, *result.document);
            writer.reset();  // flushed
        } else {
            printDiagnostics(*result.document);
        }
        exitAfterOutput(Success);
    });
    const QUrl sourceUrl = sourceUrlFromUserInput(source);
    options.schemeOverrides = loadOptionsWithUserSchemes(sourceUrl).schemeOverrides;
    loader->load(sourceUrl, options);
    return QCoreApplication::exec();  // the loader always finishes, and the process ends there
}

} // namespace cli
