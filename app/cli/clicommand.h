#pragma once

#include <documentloader.h>

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

// Walks a command's arguments. An option that takes a value reads it with
// value(), which fails with "--option needs a value" at the end of the list.
class ArgumentReader {
public:
    explicit ArgumentReader(const QStringList &arguments) : m_arguments(arguments) {}

    bool atEnd() const { return m_next >= m_arguments.size(); }
    QString next() { return m_current = m_arguments.at(m_next++); }
    bool value(QString *target)
    {
        if (atEnd()) {
            m_error = QStringLiteral("%1 needs a value").arg(m_current);
            return false;
        }
        *target = next();
        return true;
    }
    bool append(QStringList *list)
    {
        QString v;
        if (!value(&v))
            return false;
        list->append(v);
        return true;
    }
    QString error() const { return m_error; }

private:
    const QStringList &m_arguments;
    qsizetype m_next = 0;
    QString m_current;
    QString m_error;
};

int runInspect(const QStringList &arguments);
int runLogin(const QStringList &arguments);
int runTokens(const QStringList &arguments);
int runCall(const QStringList &arguments);
int runEnv(const QStringList &arguments);
int runScheme(const QStringList &arguments);

// Load options carrying the user's security schemes for `source` (a warning on stderr when unreadable).
portolan::LoadOptions loadOptionsWithUserSchemes(const QUrl &source);

} // namespace cli
