#include "serviceprocess.h"

#include <QDeadlineTimer>

namespace portolan::test {

ServiceProcess::~ServiceProcess() { stop(); }

void ServiceProcess::collectOutput()
{
    m_output += QString::fromUtf8(m_process.readAllStandardOutput());  // both channels: they are merged
}

bool ServiceProcess::start(const QString &program, const QStringList &arguments,
                           const QRegularExpression &readyPattern, int timeoutMs)
{
    m_output.clear();
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(program, arguments);
    if (!m_process.waitForStarted(timeoutMs))
        return false;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        m_process.waitForReadyRead(100);
        collectOutput();
        const QRegularExpressionMatch match = readyPattern.match(m_output);
        if (match.hasMatch()) {
            if (match.lastCapturedIndex() >= 1)
                m_port = quint16(match.captured(1).toUInt());
            return true;
        }
    }
    collectOutput();
    return false;
}

void ServiceProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

} // namespace portolan::test
