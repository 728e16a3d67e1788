#include "clicommand.h"

#include <QCoreApplication>

#include <cstdio>
#include <iterator>

namespace cli {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

namespace {

// Each command adds itself here; the synopsis is what `--help` prints.
const Command kCommands[] = {
    {"inspect", "inspect [--json] SOURCE        summarize an OpenAPI document (file or URL)", runInspect},
    {"login", "login SOURCE --scheme NAME [...]  log in with a security scheme and store the credential", runLogin},
    {"tokens", "tokens list|show|refresh|revoke|introspect|delete  manage stored credentials", runTokens},
    {"call", "call SOURCE OPERATION [options]  send an operation's request and print the response", runCall},
    {"scheme", "scheme list|presets|add|edit|remove|require|unrequire  your own security schemes for an API", runScheme},
    {"env", "env set-secret ENV NAME           store a secret variable's value (read from stdin) in the keychain", runEnv},
};

int usage(QTextStream &stream, int code)
{
    stream << "usage: portolan-cli COMMAND [OPTIONS]\n\ncommands:\n";
    for (const Command &c : kCommands)
        stream << "  " << c.synopsis << '\n';
    stream << "\nRun 'portolan-cli COMMAND --help' for a command's options.\n";
    stream.flush();
    return code;
}

} // namespace
} // namespace cli

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("portolan"));
    QCoreApplication::setOrganizationName(QStringLiteral("portolan"));
    QStringList arguments = app.arguments().mid(1);
    if (arguments.isEmpty())
        return cli::usage(cli::err(), cli::UsageError);
    const QString name = arguments.takeFirst();
    if (name == QLatin1String("--help") || name == QLatin1String("-h") || name == QLatin1String("help"))
        return cli::usage(cli::out(), cli::Success);
    for (const cli::Command &c : cli::kCommands) {
        if (name == QLatin1String(c.name)) {
            const int code = c.run(arguments);
            cli::out().flush();
            cli::err().flush();
            return code;
        }
    }
    cli::err() << "portolan-cli: unknown command '" << name << "'\n";
    return cli::usage(cli::err(), cli::UsageError);
}
