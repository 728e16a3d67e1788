// What every portolan-cli program shares: its output streams, its exit, the
// command line of a subcommand, secrets typed at the terminal, and the user's
// own security schemes for a document.
#include "clicommand.h"

#include <schemeoverrides.h>

#include <QFile>

#include <cstdio>
#include <cstdlib>

#include <termios.h>
#include <unistd.h>

namespace cli {

int runCommand(CommandFunction run, const QStringList &arguments)
{
    const int code = run(arguments);
    out().flush();
    err().flush();
    return code;
}

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

portolan::LoadOptions loadOptions()
{
    portolan::LoadOptions options;
    options.mapFiles = true;
    return options;
}

portolan::LoadOptions loadOptionsWithUserSchemes(const QUrl &source)
{
    portolan::LoadOptions options = loadOptions();
    QString error;
    if (!portolan::SchemeOverrides::load(source, &options.schemeOverrides, &error))
        err() << "portolan-cli: warning: " << error << "\n";
    return options;
}

} // namespace cli
