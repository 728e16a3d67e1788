#pragma once

#include "apistate.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

namespace portolan::gui {

// Keeps one API's state on disk: a JSON file under the application data
// folder, named after a hash of the document URL. Edits are written shortly
// after they stop (debounced) and always atomically (QSaveFile), so a crash
// loses at most the last fraction of a second and never corrupts the file.
class ApiStateStore : public QObject {
    Q_OBJECT
public:
    explicit ApiStateStore(const QUrl &documentUrl, QObject *parent = nullptr);
    ~ApiStateStore() override;

    ApiState load() const;
    // Remembers `state` and writes it once edits pause.
    void scheduleSave(const ApiState &state);
    // Writes a pending state now (e.g. when the tab closes).
    bool flush();
    QString filePath() const { return m_path; }
    static QString filePathFor(const QUrl &documentUrl);

    static constexpr int kSaveDelayMs = 400;

Q_SIGNALS:
    void saved();
    void saveFailed(const QString &reason);

private:
    QUrl m_url;
    QString m_path;
    ApiState m_pending;
    bool m_dirty = false;
    QTimer m_timer;
};

} // namespace portolan::gui
