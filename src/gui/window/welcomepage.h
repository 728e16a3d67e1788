#pragma once

#include <QUrl>
#include <QWidget>

class QListWidget;

namespace portolan::gui {

class RecentDocuments;

// What the window shows with no API open: ways to open one, the demo and
// the recent documents.
class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(RecentDocuments *recent, QWidget *parent = nullptr);

    QListWidget *recentList() const { return m_recentList; }

Q_SIGNALS:
    void openFileRequested();
    void openUrlRequested();
    void openDemoRequested();
    void openRecentRequested(const QUrl &url);

private:
    void fillRecent();

    RecentDocuments *m_recent;   // not owned
    QListWidget *m_recentList;   // owned by this
};

} // namespace portolan::gui
