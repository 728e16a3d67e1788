#include "privatefiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace portolan {

namespace {
constexpr QFileDevice::Permissions kOwnerOnlyFolder = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr QFileDevice::Permissions kOwnerOnlyFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

// The application's own folders: what lies below them is Portolan's.
QStringList applicationFolders()
{
    return {QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
            QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation),
            QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)};
}
} // namespace

void setApplicationNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("portolan"));
    QCoreApplication::setApplicationName(QStringLiteral("portolan"));
}

bool makePrivateDirectory(const QString &directory, QString *error)
{
    const QString target = QDir::cleanPath(QFileInfo(directory).absoluteFilePath());
    if (!QDir().mkpath(target)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(target);
        return false;
    }
    QStringList folders{target};
    for (const QString &root : applicationFolders()) {
        const QString base = QDir::cleanPath(root);
        if (base.isEmpty() || !(target == base || target.startsWith(base + QLatin1Char('/'))))
            continue;
        for (QString folder = QFileInfo(target).path(); folder.size() >= base.size(); folder = QFileInfo(folder).path()) {
            folders.append(folder);
            if (folder == base)
                break;
        }
    }
    for (const QString &folder : std::as_const(folders)) {
        if (!QFile::setPermissions(folder, kOwnerOnlyFolder)) {
            if (error)
                *error = QStringLiteral("cannot make %1 private (owner-only)").arg(folder);
            return false;
        }
    }
    return true;
}

bool makeOwnerOnly(QFileDevice &file)
{
    return file.setPermissions(kOwnerOnlyFile);
}

bool makeOwnerOnly(const QString &path)
{
    if (!QFileInfo::exists(path)) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return false;
    }
    return QFile::setPermissions(path, kOwnerOnlyFile);
}

} // namespace portolan
