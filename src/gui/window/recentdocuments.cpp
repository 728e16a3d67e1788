#include "recentdocuments.h"

#include <QFileInfo>
#include <QSettings>

namespace portolan::gui {

namespace {
const QString kKey = QStringLiteral("recentDocuments");
}

RecentDocuments::RecentDocuments(QObject *parent) : QObject(parent)
{
    const QStringList stored = QSettings().value(kKey).toStringList();
    for (const QString &text : stored) {
        const QUrl url(text);
        // Files deleted since are dropped; URLs stay, the server may just be down.
        if (!url.isValid() || m_urls.contains(url) || (url.isLocalFile() && !QFileInfo::exists(url.toLocalFile())))
            continue;
        m_urls.append(url);
    }
}

void RecentDocuments::add(const QUrl &url)
{
    const QUrl clean = url.adjusted(QUrl::RemoveUserInfo);
    m_urls.removeAll(clean);
    m_urls.prepend(clean);
    while (m_urls.size() > kMaximum)
        m_urls.removeLast();
    save();
    Q_EMIT changed();
}

void RecentDocuments::clear()
{
    m_urls.clear();
    save();
    Q_EMIT changed();
}

void RecentDocuments::save() const
{
    QStringList stored;
    for (const QUrl &url : m_urls)
        stored << url.toString(QUrl::FullyEncoded);
    QSettings().setValue(kKey, stored);
}

} // namespace portolan::gui
