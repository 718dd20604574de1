// What the query page's editor (server/static/editor.js) takes from CodeMirror 6, as one global:
// window.CodeMirror. Nothing here is habitat-kg's logic; it only chooses the parts.
import {EditorState, Compartment, Prec} from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, drawSelection, placeholder,
} from "@codemirror/view";
import {
  StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput,
  HighlightStyle, indentService,
} from "@codemirror/language";
import {defaultKeymap, history, historyKeymap, indentWithTab} from "@codemirror/commands";
import {
  autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap, startCompletion,
  acceptCompletion, currentCompletions, completionStatus,
} from "@codemirror/autocomplete";
import {linter, lintGutter, lintKeymap, setDiagnostics, forceLinting, diagnosticCount} from "@codemirror/lint";
import {searchKeymap, highlightSelectionMatches} from "@codemirror/search";
import {tags} from "@lezer/highlight";
import {sparql} from "@codemirror/legacy-modes/mode/sparql";

window.CodeMirror = {
  EditorState, Compartment, Prec,
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, drawSelection, placeholder,
  StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput,
  HighlightStyle, indentService, tags,
  defaultKeymap, history, historyKeymap, indentWithTab,
  autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap, startCompletion,
  acceptCompletion, currentCompletions, completionStatus,
  linter, lintGutter, lintKeymap, setDiagnostics, forceLinting, diagnosticCount,
  searchKeymap, highlightSelectionMatches,
  sparql,
};
