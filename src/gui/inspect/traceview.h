#pragma once

#include "exchange.h"

#include <QWidget>

class QDialog;
class QLabel;
class QTableView;
class QToolButton;

namespace portolan::http {
class NetworkRecorder;
}

namespace portolan::gui {

class ExchangeDetailView;
class ExchangeListModel;

// The trace of a login, refresh or revocation: every request it made, in
// order, with method, URL and status, and the selected one's detail panes as
// the inspector shows requests. "Export HAR…" writes it with the HAR writer
// portolan-cli's --trace uses. The exchanges arrive redacted (the recorder
// redacts them); nothing is written to disk unless the user exports.
class TraceView : public QWidget {
    Q_OBJECT
public:
    explicit TraceView(QWidget *parent = nullptr);

    void setExchanges(const QList<http::Exchange> &exchanges);
    // Shows what `recorder` (not owned) recorded so far, then each exchange as it is recorded.
    void follow(http::NetworkRecorder *recorder);
    bool exportHar(const QString &path, QString *error) const;

    ExchangeListModel *model() const { return m_model; }
    QTableView *list() const { return m_list; }
    ExchangeDetailView *details() const { return m_details; }
    QToolButton *exportButton() const { return m_export; }

private:
    void showRow(int row);
    void chooseHarFile();

    ExchangeListModel *m_model;  // owned by this, like the widgets below
    QTableView *m_list;
    ExchangeDetailView *m_details;
    QToolButton *m_export;
    QLabel *m_status;
};

// Asks where to save `exchanges` as HAR 1.2 (secrets redacted) and saves them
// there. Returns what happened, for a status line (empty when the user cancelled).
QString saveHarAs(QWidget *parent, const QString &suggestedName, const QList<http::Exchange> &exchanges, bool *saved);

// A window (not modal) with the trace `exchanges` under `title`; deleted when closed.
QDialog *openTraceWindow(const QString &title, const QList<http::Exchange> &exchanges, QWidget *parent);

} // namespace portolan::gui
