#pragma once

#include "documentloader.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

namespace portolan::test {

// Loads through the real asynchronous loader and waits for its signal.
inline LoadResult load(const QUrl &url, const LoadOptions &options = {})
{
    DocumentLoader loader(nullptr);
    QSignalSpy spy(&loader, &DocumentLoader::finished);
    loader.load(url, options);
    if (!spy.wait(30'000))
        return LoadResult{nullptr, {Diagnostic{Severity::Error, QStringLiteral("test: load timed out"), {}}}, false};
    return spy.takeFirst().at(0).value<LoadResult>();
}

inline LoadResult loadFile(const QString &path, const LoadOptions &options = {})
{
    return load(QUrl::fromLocalFile(path), options);
}

// Writes files the test needs into a temporary folder.
class Files {
public:
    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write(content);
        return path;
    }
    QString path(const QString &name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
};

inline bool hasDiagnostic(const Diagnostics &list, const QString &fragment, Severity severity = Severity::Error)
{
    for (const Diagnostic &d : list) {
        if (d.severity == severity && d.message.contains(fragment))
            return true;
    }
    return false;
}

inline Diagnostic findDiagnostic(const Diagnostics &list, const QString &fragment)
{
    for (const Diagnostic &d : list) {
        if (d.message.contains(fragment))
            return d;
    }
    return {};
}

inline QString dump(const Diagnostics &list)
{
    QStringList lines;
    for (const Diagnostic &d : list)
        lines.push_back(formatDiagnostic(d));
    return lines.join(QLatin1Char('\n'));
}

inline const Operation *findOperation(const ApiDocument &api, const QString &method, const QString &path)
{
    for (const Operation &op : api.operations) {
        if (op.method == method && op.path() == path)
            return &op;
    }
    return nullptr;
}

} // namespace portolan::test
