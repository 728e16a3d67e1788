// portolan-cli reads local documents itself (inspect, lint) and hands every
// other command, and any load that needs a remote document, to
// portolan-cli-client, the program that links the network, TLS and keychain
// libraries those need. The keychain and TLS libraries cost every start about
// 3 ms and 3 MB (of 10.5 ms and 16 MB for an empty document), and Qt Network
// another 1.5 MB (and 4 ms of 35 on a machine with slow page faults), which
// a lint in CI or an inspect in a script paid for nothing.
#include "clicommand.h"

#include "heapsteps.h"
#include "privatefiles.h"

#include <QCoreApplication>
#include <QFile>

#include <cerrno>
#include <cstring>

#include <unistd.h>

namespace cli {
namespace {

// Each command adds itself here; the synopsis is what `--help` prints. A
// command without a function here is portolan-cli-client's.
const Command kCommands[] = {
    {"inspect", "inspect [--json] SOURCE        summarize an OpenAPI document (file or URL)", runInspect},
    {"lint", "lint [--json] SOURCE           check a document against the OpenAPI schema and rules", runLint},
    {"login", "login SOURCE --scheme NAME [...]  log in with a security scheme and store the credential", nullptr},
    {"tokens", "tokens list|show|refresh|revoke|introspect|delete  manage stored credentials", nullptr},
    {"call", "call SOURCE OPERATION [options]  send an operation's request and print the response", nullptr},
    {"scheme", "scheme list|presets|add|edit|remove|require|unrequire  your own security schemes for an API", nullptr},
    {"env", "env set-secret ENV NAME           store a secret variable's value (read from stdin) in the keychain", nullptr},
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

char **g_arguments = nullptr;  // main()'s argv, which runInClient() passes on

// Replaces this process with portolan-cli-client, given the same arguments,
// the program's name included: usage lines then name the program the user
// ran. The client lies next to this program in a build folder, and in
// PORTOLAN_CLIENT_DIR (relative to this program's folder) once installed.
[[noreturn]] void runInClient()
{
    const QString folder = QCoreApplication::applicationDirPath() + QLatin1Char('/');
    const QByteArray programs[] = {QFile::encodeName(folder + QLatin1String("portolan-cli-client")),
                                   QFile::encodeName(folder + QLatin1String(PORTOLAN_CLIENT_DIR "/portolan-cli-client"))};
    int error = 0;
    for (const QByteArray &program : programs) {
        execv(program.constData(), g_arguments);
        error = errno;
    }
    err() << "portolan-cli: cannot run " << QFile::decodeName(programs[1]) << ": " << std::strerror(error) << '\n';
    exitAfterOutput(Failure);
}

} // namespace

// Nothing goes to stdout before the model is read, which is after every
// document is: the client, given the same arguments, starts over cleanly.
std::unique_ptr<portolan::DocumentLoader> newDocumentLoader()
{
    auto loader = std::make_unique<portolan::DocumentLoader>(portolan::DocumentLoader::LocalFilesOnly());
    QObject::connect(loader.get(), &portolan::DocumentLoader::remoteNeeded, [] { runInClient(); });
    return loader;
}

} // namespace cli

int main(int argc, char *argv[])
{
    portolan::growHeapsInLargeSteps();
    QCoreApplication app(argc, argv);
    portolan::setApplicationNames();
    cli::g_arguments = argv;
    QStringList arguments = app.arguments().mid(1);
    if (arguments.isEmpty())
        return cli::usage(cli::err(), cli::UsageError);
    const QString name = arguments.takeFirst();
    if (name == QLatin1String("--help") || name == QLatin1String("-h") || name == QLatin1String("help"))
        return cli::usage(cli::out(), cli::Success);
    for (const cli::Command &c : cli::kCommands) {
        if (name == QLatin1String(c.name)) {
            if (!c.run)
                cli::runInClient();
            return cli::runCommand(c.run, arguments);
        }
    }
    cli::err() << "portolan-cli: unknown command '" << name << "'\n";
    return cli::usage(cli::err(), cli::UsageError);
}
