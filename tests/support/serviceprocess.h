#pragma once

#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace portolan::test {

// A real server started for a test on 127.0.0.1 and stopped with it.
// The server binds port 0, so the kernel gives it a free port with no race,
// and prints the port it got: start() waits until a line of its output
// matches `readyPattern`, whose first capture is taken as the port.
class ServiceProcess {
public:
    ServiceProcess() = default;
    ~ServiceProcess();
    ServiceProcess(const ServiceProcess &) = delete;
    ServiceProcess &operator=(const ServiceProcess &) = delete;

    bool start(const QString &program, const QStringList &arguments, const QRegularExpression &readyPattern,
               int timeoutMs = 20'000);
    void stop();

    quint16 port() const { return m_port; }
    // Everything the server printed so far, for failure messages.
    QString output() const { return m_output; }
    QProcess &process() { return m_process; }

private:
    void collectOutput();

    QProcess m_process;
    QString m_output;
    quint16 m_port = 0;
};

} // namespace portolan::test
