#pragma once

#include <QObject>
#include <QUrl>

namespace portolan::gui {

// The documents opened lately, newest first, kept in QSettings. Only paths
// and URLs without user info are stored: never anything secret.
class RecentDocuments : public QObject {
    Q_OBJECT
public:
    explicit RecentDocuments(QObject *parent = nullptr);

    QList<QUrl> urls() const { return m_urls; }
    void add(const QUrl &url);
    void clear();

    static constexpr int kMaximum = 12;

Q_SIGNALS:
    void changed();

private:
    void save() const;
    QList<QUrl> m_urls;
};

} // namespace portolan::gui
