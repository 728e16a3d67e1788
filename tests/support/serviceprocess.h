#pragma once

#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace portolan::test {

// A real server started for a test on 127.0.0.1 and stopped with it.
// start() waits until the server is ready: either a line of its output
// matches `readyPattern` (whose first capture, if any, is taken as the port)
// or, with a fixed port, until that port accepts connections.
class ServiceProcess {
public:
    ServiceProcess() = default;
    ~ServiceProcess();
    ServiceProcess(const ServiceProcess &) = delete;
    ServiceProcess &operator=(const ServiceProcess &) = delete;

    bool start(const QString &program, const QStringList &arguments, const QRegularExpression &readyPattern,
               int timeoutMs = 20'000);
    bool startOnPort(const QString &program, const QStringList &arguments, quint16 port, int timeoutMs = 20'000);
    void stop();

    quint16 port() const { return m_port; }
    // Everything the server printed so far, for failure messages.
    QString output() const { return m_output; }
    QProcess &process() { return m_process; }

    // A port on 127.0.0.1 nobody listens on right now.
    static quint16 freePort();

private:
    void collectOutput();

    QProcess m_process;
    QString m_output;
    quint16 m_port = 0;
};

} // namespace portolan::test
