#pragma once

#include "diagnostic.h"

#include <QWidget>

class QTreeView;

namespace portolan::gui {

class DiagnosticsModel;

// The list of a load's diagnostics. Activating one (double click, Return)
// asks the workspace to jump to its location.
class DiagnosticsPanel : public QWidget {
    Q_OBJECT
public:
    explicit DiagnosticsPanel(QWidget *parent = nullptr);

    void setDiagnostics(const Diagnostics &diagnostics);
    DiagnosticsModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    // "2 errors, 1 warning", for the tab title.
    QString summary() const;

Q_SIGNALS:
    void diagnosticActivated(const portolan::Diagnostic &diagnostic);

private:
    DiagnosticsModel *m_model;  // owned by this
    QTreeView *m_view;          // owned by this
};

} // namespace portolan::gui
