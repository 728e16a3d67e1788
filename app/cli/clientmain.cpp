// portolan-cli-client: the commands of portolan-cli that log in, keep
// credentials and send requests, through the client core, and inspect and
// lint when a document names remote ones. portolan-cli runs it with its own
// arguments (see main.cpp).
#include "clicommand.h"

#include "heapsteps.h"
#include "privatefiles.h"

#include <QCoreApplication>

namespace {

const std::pair<const char *, cli::CommandFunction> kCommands[] = {
    {"inspect", cli::runInspect}, {"lint", cli::runLint},
    {"login", cli::runLogin}, {"tokens", cli::runTokens}, {"call", cli::runCall},
    {"scheme", cli::runScheme}, {"env", cli::runEnv},
};

} // namespace

std::unique_ptr<portolan::DocumentLoader> cli::newDocumentLoader()
{
    return std::make_unique<portolan::DocumentLoader>(nullptr);
}

int main(int argc, char *argv[])
{
    portolan::growHeapsInLargeSteps();
    QCoreApplication app(argc, argv);
    portolan::setApplicationNames();
    QStringList arguments = app.arguments().mid(1);
    const QString name = arguments.isEmpty() ? QString() : arguments.takeFirst();
    for (const auto &[command, run] : kCommands) {
        if (name == QLatin1String(command))
            return cli::runCommand(run, arguments);
    }
    cli::err() << "portolan-cli-client: unknown command '" << name << "'; run the commands through portolan-cli\n";
    return cli::UsageError;
}
