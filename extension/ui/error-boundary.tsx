// A rendering error in one part (one row, one detail view) never blanks the whole panel.
import { Component, type ReactNode } from 'react';

interface Props {
  label: string;
  resetKey?: unknown;
  children: ReactNode;
}
interface State {
  error: Error | null;
  key: unknown;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, key: this.props.resetKey };
  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }
  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }
  override render() {
    if (this.state.error) {
      return (
        <div role="alert" className="boundary-error">
          Could not show the {this.props.label}: {String(this.state.error.message).slice(0, 300)}
        </div>
      );
    }
    return this.props.children;
  }
}
