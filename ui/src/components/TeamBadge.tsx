import { useEffect, useState } from "preact/hooks";
import { teamBadge, type TeamBadge } from "../api";
import { badgeText } from "../lib/team";

/** The badge re-reads its counts this often (they change with syncs and with reading). */
const POLL_MS = 30_000;

/**
 * The header's 在宅チーム badge: unread entries and open 相談 across the
 * clinic's teams. Counts only, no patient; hidden when both are zero.
 */
export function TeamBadgeIndicator({ refreshKey }: { refreshKey: number }) {
  const [badge, setBadge] = useState<TeamBadge | null>(null);
  useEffect(() => {
    const refresh = () =>
      teamBadge().then(setBadge, () => {
        // Locked or signed out: the next poll tries again.
      });
    void refresh();
    const timer = window.setInterval(() => void refresh(), POLL_MS);
    return () => {
      window.clearInterval(timer);
    };
  }, [refreshKey]);
  const text = badgeText(badge);
  if (text === null) return null;
  return (
    <span class="team-badge" id="team-badge" role="status" title="未読の投稿と、回答待ちの相談・依頼（患者を開くと既読になります）">
      {text}
    </span>
  );
}
