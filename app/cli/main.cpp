#include "clicommand.h"

#include "clientcore.h"
#include "heapsteps.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>
#include <cstdlib>
#include <iterator>

#include <termios.h>
#include <unistd.h>

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

void exitAfterOutput(int code)
{
    out().flush();
    err().flush();
    std::fflush(nullptr);
    std::_Exit(code);
}

CommandLine::CommandLine(const QString &command, const QString &description,
                         const QList<std::pair<QString, QString>> &positional)
    : m_command(command)
{
    parser.setApplicationDescription(description);
    parser.addHelpOption();
    parser.addPositionalArgument(command, QStringLiteral("the command"), command);
    for (const auto &[name, text] : positional)
        parser.addPositionalArgument(name, text);
}

int CommandLine::parse(const QStringList &arguments, qsizetype minPositional, qsizetype maxPositional)
{
    // QCommandLineParser takes the program name first; the command name stands in for it.
    if (!parser.parse(QStringList{m_command} + arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        return Success;
    }
    const qsizetype count = parser.positionalArguments().size();
    if (count < minPositional)
        return usageError(QStringLiteral("missing arguments"));
    if (count > maxPositional)
        return usageError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().value(maxPositional)));
    return -1;
}

int CommandLine::usageError(const QString &message) const
{
    err() << "portolan-cli " << m_command << ": " << message << "\n(see 'portolan-cli " << m_command << " --help')\n";
    return UsageError;
}

QByteArray readSecretLine(const QString &prompt)
{
    static QFile in;
    if (!in.isOpen())
        in.open(stdin, QIODevice::ReadOnly | QIODevice::Unbuffered);
    termios saved{};
    const bool terminal = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        err() << prompt;
        err().flush();
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
    }
    QByteArray line = in.readLine();
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        err() << "\n";
        err().flush();
    }
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    return line;
}

namespace {

// Each command adds itself here; the synopsis is what `--help` prints.
const Command kCommands[] = {
    {"inspect", "inspect [--json] SOURCE        summarize an OpenAPI document (file or URL)", runInspect},
    {"lint", "lint [--json] SOURCE           check a document against the OpenAPI schema and rules", runLint},
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
    portolan::growHeapsInLargeSteps();
    QCoreApplication app(argc, argv);
    portolan::client::ClientCore::setApplicationNames();
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
