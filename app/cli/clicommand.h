#pragma once

#include <documentloader.h>

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

// Every portolan-cli subcommand runs inside a QCoreApplication and returns
// its exit code: 0 success, 1 the document, flow or server failed, 2 usage,
// 3 (call --strict) a response that does not match its document.
namespace cli {

enum ExitCode { Success = 0, Failure = 1, UsageError = 2, ContractMismatch = 3 };

// `arguments` excludes the program and subcommand names.
using CommandFunction = int (*)(const QStringList &arguments);

struct Command {
    const char *name;
    const char *synopsis;
    CommandFunction run;
};

// Runs a command with its arguments, then flushes what it printed; returns its exit code.
int runCommand(CommandFunction run, const QStringList &arguments);

QTextStream &out();
QTextStream &err();

// Ends the process with `code` once all it printed is flushed, without
// freeing what the command loaded: the model of a 22,000-operation document
// takes tens of milliseconds to free one allocation at a time, and the
// system takes a whole process back at once.
[[noreturn]] void exitAfterOutput(int code);

// A subcommand's command line, parsed by QCommandLineParser; --help prints
// the help text it makes from the options declared on `parser`.
class CommandLine {
public:
    // `positional`: "SOURCE OPERATION"-like names, each with its description.
    CommandLine(const QString &command, const QString &description,
                const QList<std::pair<QString, QString>> &positional);

    QCommandLineParser parser;

    // -1: parsed, carry on. Otherwise the exit code to return: Success after
    // printing --help, UsageError after printing the problem and the help.
    int parse(const QStringList &arguments, qsizetype minPositional, qsizetype maxPositional);
    // Prints "portolan-cli COMMAND: message" and returns UsageError.
    int usageError(const QString &message) const;

private:
    QString m_command;
};

// A secret typed by the user: read without echo after `prompt` when stdin is a
// terminal, else the next line of stdin (one trailing line break dropped).
QByteArray readSecretLine(const QString &prompt = QString());

int runInspect(const QStringList &arguments);
int runLint(const QStringList &arguments);
int runLogin(const QStringList &arguments);
int runTokens(const QStringList &arguments);
int runCall(const QStringList &arguments);
int runEnv(const QStringList &arguments);
int runScheme(const QStringList &arguments);

// The loader inspect and lint use: portolan-cli's reads local files alone
// and hands a load that needs a remote document to portolan-cli-client
// (main.cpp); the client's fetches them (clientmain.cpp).
std::unique_ptr<portolan::DocumentLoader> newDocumentLoader();

// How every command loads a document: a run of a moment maps large files
// rather than copying them (LoadOptions::mapFiles).
portolan::LoadOptions loadOptions();
// Those, carrying the user's security schemes for `source` (a warning on stderr when unreadable).
portolan::LoadOptions loadOptionsWithUserSchemes(const QUrl &source);

} // namespace cli
