#pragma once

#include <QStringList>
#include <QTextStream>

// Every portolan-cli subcommand runs inside a QCoreApplication and returns
// its exit code: 0 success, 1 the document, flow or server failed, 2 usage.
namespace cli {

enum ExitCode { Success = 0, Failure = 1, UsageError = 2 };

// `arguments` excludes the program and subcommand names.
using CommandFunction = int (*)(const QStringList &arguments);

struct Command {
    const char *name;
    const char *synopsis;
    CommandFunction run;
};

QTextStream &out();
QTextStream &err();

int runInspect(const QStringList &arguments);
int runLogin(const QStringList &arguments);
int runTokens(const QStringList &arguments);
int runCall(const QStringList &arguments);
int runEnv(const QStringList &arguments);

} // namespace cli
