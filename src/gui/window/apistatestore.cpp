#include "apistatestore.h"

#include <schemeoverrides.h>
#include "privatefiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace portolan::gui {

namespace {
constexpr qint64 kMaxStateBytes = 64 * 1024 * 1024;
}

ApiStateStore::ApiStateStore(const QUrl &documentUrl, QObject *parent)
    : QObject(parent), m_url(documentUrl.adjusted(QUrl::RemoveUserInfo)), m_path(filePathFor(documentUrl))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kSaveDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &ApiStateStore::flush);
}

ApiStateStore::~ApiStateStore()
{
    flush();
}

QString ApiStateStore::filePathFor(const QUrl &documentUrl)
{
    return apiStatePathStem(documentUrl) + QStringLiteral(".json");
}

ApiState ApiStateStore::load() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxStateBytes)
        return {};
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    // The file names the URL it belongs to; a hash collision must not mix two APIs.
    if (json.value(QStringLiteral("document")).toString() != m_url.toString(QUrl::FullyEncoded))
        return {};
    return ApiState::fromJson(json);
}

void ApiStateStore::scheduleSave(const ApiState &state)
{
    m_pending = state;
    m_dirty = true;
    m_timer.start();
}

bool ApiStateStore::flush()
{
    m_timer.stop();
    if (!m_dirty)
        return true;
    m_dirty = false;
    makePrivateDirectory(QFileInfo(m_path).absolutePath());
    QJsonObject json = m_pending.toJson();
    json.insert(QStringLiteral("document"), m_url.toString(QUrl::FullyEncoded));
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || !makeOwnerOnly(file)) {
        Q_EMIT saveFailed(file.errorString());
        return false;
    }
    file.write(QJsonDocument(json).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        Q_EMIT saveFailed(file.errorString());
        return false;
    }
    Q_EMIT saved();
    return true;
}

} // namespace portolan::gui
