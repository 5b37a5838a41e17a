// What a panel or popup says when there is nothing to show, and what to do about it.
export function EmptyState({ title, body }: { title: string; body: string }) {
  return (
    <div className="empty-state" role="status">
      <h2>{title}</h2>
      <p>{body}</p>
    </div>
  );
}
