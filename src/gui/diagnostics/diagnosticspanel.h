#pragma once

#include "diagnostic.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeView;

namespace portolan::gui {

class DiagnosticsModel;

// The list of a load's diagnostics. Activating one (double click, Return)
// asks the workspace to jump to its location. Above the list, while the
// document is checked against the OpenAPI schema in the background, a strip
// says so and offers Stop; once stopped, it offers to check again.
class DiagnosticsPanel : public QWidget {
    Q_OBJECT
public:
    enum class CheckState { Checked, Checking, Stopped };

    explicit DiagnosticsPanel(QWidget *parent = nullptr);

    void setDiagnostics(const Diagnostics &diagnostics);
    void setCheckState(CheckState state);
    CheckState checkState() const { return m_checkState; }
    DiagnosticsModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QPushButton *checkButton() const { return m_checkButton; }
    // "2 errors, 1 warning", "checking…", for the tab title.
    QString summary() const;

Q_SIGNALS:
    void diagnosticActivated(const portolan::Diagnostic &diagnostic);
    void stopCheckRequested();
    void checkRequested();

private:
    DiagnosticsModel *m_model;   // owned by this, like the widgets below
    QWidget *m_checkStrip;
    QLabel *m_checkLabel;
    QProgressBar *m_checkBusy;
    QPushButton *m_checkButton;  // Stop while checking, Check when stopped
    QTreeView *m_view;
    CheckState m_checkState = CheckState::Checked;
};

} // namespace portolan::gui
