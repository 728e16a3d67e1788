// portolan-cli env: sets the value of a secret environment variable. The value
// comes from stdin (never the command line) and goes only to the keychain; the
// environments file records the variable's name.
#include "clicommand.h"

#include "environment.h"
#include "secretvariables.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>

using namespace portolan::http;

namespace cli {

namespace {

// Adds the variable as a secret, or turns an existing one into a secret: its
// old plain value must not stay in the file.
void markSecret(QList<Environment> &environments, const QString &environmentName, const QString &variableName)
{
    auto environment = std::find_if(environments.begin(), environments.end(),
                                    [&](const Environment &e) { return e.name == environmentName; });
    if (environment == environments.end())
        environment = environments.insert(environments.end(), Environment{environmentName, {}});
    for (Variable &v : environment->variables) {
        if (v.name == variableName) {
            v = Variable{variableName, {}, true};
            return;
        }
    }
    environment->variables.append(Variable{variableName, {}, true});
}

} // namespace

int runEnv(const QStringList &args)
{
    CommandLine line(QStringLiteral("env"),
                     QStringLiteral("set-secret: reads the value of the secret variable NAME from stdin (one trailing line\n"
                                    "break is dropped) and stores it in the OS keychain; the environment and variable are\n"
                                    "created when missing. 'portolan-cli call --env ENVIRONMENT' then substitutes {{NAME}} with it."),
                     {{QStringLiteral("set-secret"), QString()},
                      {QStringLiteral("ENVIRONMENT"), QStringLiteral("the environment")},
                      {QStringLiteral("NAME"), QStringLiteral("the variable")}});
    if (const int code = line.parse(args, 3, 3); code >= 0)
        return code;
    if (line.parser.positionalArguments().first() != QLatin1String("set-secret"))
        return line.usageError(QStringLiteral("unknown command '%1'").arg(line.parser.positionalArguments().first()));
    const QString environmentName = line.parser.positionalArguments().at(1);
    const QString variableName = line.parser.positionalArguments().at(2);
    QFile in;
    in.open(stdin, QIODevice::ReadOnly);
    QByteArray value = in.readAll();
    if (value.endsWith('\n'))
        value.chop(value.endsWith("\r\n") ? 2 : 1);
    if (value.isEmpty()) {
        err() << "portolan-cli env: pipe the value of " << variableName << " into stdin\n";
        return UsageError;
    }

    const EnvironmentStore file;
    QString problem;
    QList<Environment> environments = file.load(&problem);
    if (!problem.isEmpty()) {
        err() << "portolan-cli env: " << problem << '\n';
        return Failure;
    }
    int exitCode = Failure;
    bool finished = false;
    SecretVariableStore secrets;
    secrets.save(environmentName, variableName, QString::fromUtf8(value), [&](const SecretVariableResult &saved) {
        if (!saved.ok) {
            // This process ends now, so "memory only" would keep nothing: say it was not saved.
            err() << "portolan-cli env: not saved: " << saved.error << '\n';
        } else {
            markSecret(environments, environmentName, variableName);
            if (!file.save(environments, &problem)) {
                err() << "portolan-cli env: the value is in the keychain, but " << problem << '\n';
            } else {
                out() << "stored secret variable " << variableName << " of environment " << environmentName
                      << " in the keychain\n";
                exitCode = Success;
            }
        }
        finished = true;
        QCoreApplication::quit();
    });
    if (!finished)
        QCoreApplication::exec();
    return exitCode;
}

} // namespace cli
