// portolan-cli lint: a document's diagnostics only — what the loader's
// semantic checks and the official OpenAPI schema find — for editors and CI.
#include "clicommand.h"

#include "documentloader.h"
#include "jsonwriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>

using namespace portolan;

namespace cli {

namespace {

void printJson(const Diagnostics &diagnostics, int errors)
{
    out().flush();
    JsonWriter w(stdout);
    w.beginObject();
    w.field("errors", errors);
    w.field("warnings", int(diagnostics.size()) - errors);
    w.key("diagnostics");
    w.beginArray();
    for (const Diagnostic &d : diagnostics)
        writeDiagnostic(w, d);
    w.endArray();
    w.endObject();
}

void printText(const Diagnostics &diagnostics, int errors)
{
    for (const Diagnostic &d : diagnostics)
        out() << formatDiagnostic(d) << '\n';
    const int warnings = int(diagnostics.size()) - errors;
    out().flush();
    err() << errors << (errors == 1 ? " error, " : " errors, ") << warnings << (warnings == 1 ? " warning\n" : " warnings\n");
}

} // namespace

int runLint(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Checks an OpenAPI or Swagger document against the official schema for its version and the\n"
        "specification's rules, and prints every problem as file:line:column: severity: message.\n"
        "Exit status: 0 no errors (warnings allowed), 1 errors or not loadable, 2 usage."));
    parser.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("a file path or an http(s) URL"));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("print {\"errors\", \"warnings\", \"diagnostics\": [...]} as JSON"));
    const QCommandLineOption maxSizeOption(QStringLiteral("max-size"), QStringLiteral("refuse sources larger than MB (default 256)"),
                                           QStringLiteral("MB"));
    parser.addOption(jsonOption);
    parser.addOption(maxSizeOption);
    parser.addHelpOption();
    if (!parser.parse(QStringList{QStringLiteral("portolan-cli lint")} + arguments)) {
        err() << "portolan-cli lint: " << parser.errorText() << '\n';
        return UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        return Success;
    }
    if (parser.positionalArguments().size() != 1) {
        err() << "usage: portolan-cli lint [--json] [--max-size MB] SOURCE\n";
        return UsageError;
    }
    LoadOptions options = loadOptions();
    if (parser.isSet(maxSizeOption)) {
        bool ok = false;
        const qint64 megabytes = parser.value(maxSizeOption).toLongLong(&ok);
        if (!ok || megabytes <= 0) {
            err() << "portolan-cli lint: --max-size takes a number of megabytes\n";
            return UsageError;
        }
        options.maxSourceBytes = megabytes * 1024 * 1024;
    }

    const bool json = parser.isSet(jsonOption);
    const std::unique_ptr<DocumentLoader> loader = newDocumentLoader();
    QObject::connect(loader.get(), &DocumentLoader::finished, [&](const LoadResult &result) {
        // A document that could not be loaded at all reports why as errors too.
        const Diagnostics &diagnostics = result.document ? result.document->diagnostics : result.errors;
        const int errors = int(std::count_if(diagnostics.begin(), diagnostics.end(),
                                             [](const Diagnostic &d) { return d.severity == Severity::Error; }));
        if (json)
            printJson(diagnostics, errors);
        else
            printText(diagnostics, errors);
        exitAfterOutput(errors > 0 || !result.document ? Failure : Success);
    });
    loader->load(sourceUrlFromUserInput(parser.positionalArguments().constFirst()), options);
    return QCoreApplication::exec();  // the loader always finishes, and the process ends there
}

} // namespace cli
