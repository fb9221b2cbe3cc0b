export interface Suggestion {
  id: string;
  primary: string;
  secondary?: string;
}

/** The listbox under the composer for @mentions and /shortcuts; the textarea keeps the focus. */
export function Suggestions({
  id,
  label,
  items,
  active,
  onPick,
}: {
  id: string;
  label: string;
  items: readonly Suggestion[];
  active: number;
  onPick: (index: number) => void;
}) {
  return (
    <ul id={id} role="listbox" aria-label={label} className="suggestions">
      {items.map((item, index) => (
        <li
          key={item.id}
          id={`${id}-${index}`}
          role="option"
          aria-selected={index === active}
          className={index === active ? 'is-active' : undefined}
          onPointerDown={(event) => {
            event.preventDefault();
            onPick(index);
          }}
        >
          <span>{item.primary}</span>
          {item.secondary === undefined ? null : (
            <span className="muted suggestion-secondary">{item.secondary}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
