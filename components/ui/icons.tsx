import type { SVGProps } from "react";

/** Outline icons (24 px grid, 1.5 stroke), decorative: labels come from the text beside them. */
function Icon({ children, ...props }: SVGProps<SVGSVGElement>) {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" {...props}>
      {children}
    </svg>
  );
}

export type IconName = keyof typeof icons;

export const icons = {
  dashboard: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <path d="M4 13h6V4H4zM14 20h6v-9h-6zM4 20h6v-3H4zM14 7h6V4h-6z" />
    </Icon>
  ),
  members: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20c.6-3.6 3.2-5.5 6.5-5.5s5.9 1.9 6.5 5.5" />
      <path d="M16 4.8a3.5 3.5 0 0 1 0 6.4M18 14.8c1.9.7 3.1 2.4 3.5 5.2" />
    </Icon>
  ),
  tiers: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <path d="M12 3 3 8l9 5 9-5-9-5z" />
      <path d="m3 12.5 9 5 9-5M3 16.5l9 5 9-5" />
    </Icon>
  ),
  rights: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <rect x="3" y="8" width="18" height="4" rx="1" />
      <path d="M5 12v8h14v-8M12 8v12" />
      <path d="M12 8c-1.5-3.5-5.5-4-5.5-1.5S10 8 12 8zM12 8c1.5-3.5 5.5-4 5.5-1.5S14 8 12 8z" />
    </Icon>
  ),
  points: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <circle cx="12" cy="12" r="8.5" />
      <path d="m12 7.5 1.3 2.8 3 .4-2.2 2.1.5 3-2.6-1.4-2.6 1.4.5-3-2.2-2.1 3-.4z" />
    </Icon>
  ),
  campaigns: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <rect x="3.5" y="5" width="17" height="15.5" rx="2" />
      <path d="M3.5 10h17M8 3v4M16 3v4M8 14h2M14 14h2M8 17h2" />
    </Icon>
  ),
  automations: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <path d="M13 2.5 4.5 13.5H12l-1 8 8.5-11H12z" />
    </Icon>
  ),
  outbox: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <path d="M4 13.5V19a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-5.5M4 13.5 6.5 5h11l2.5 8.5M4 13.5h4.5l1.5 2.5h4l1.5-2.5H20" />
    </Icon>
  ),
  mall: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <path d="M4 8h16l-1.2 11.2a1.5 1.5 0 0 1-1.5 1.3H6.7a1.5 1.5 0 0 1-1.5-1.3z" />
      <path d="M8.5 10.5V7a3.5 3.5 0 0 1 7 0v3.5" />
    </Icon>
  ),
  settings: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <path d="M10.3 3.6a1.7 1.7 0 0 1 3.4 0 1.7 1.7 0 0 0 2.6 1.1 1.7 1.7 0 0 1 2.4 2.4 1.7 1.7 0 0 0 1.1 2.6 1.7 1.7 0 0 1 0 3.4 1.7 1.7 0 0 0-1.1 2.6 1.7 1.7 0 0 1-2.4 2.4 1.7 1.7 0 0 0-2.6 1.1 1.7 1.7 0 0 1-3.4 0 1.7 1.7 0 0 0-2.6-1.1 1.7 1.7 0 0 1-2.4-2.4 1.7 1.7 0 0 0-1.1-2.6 1.7 1.7 0 0 1 0-3.4 1.7 1.7 0 0 0 1.1-2.6 1.7 1.7 0 0 1 2.4-2.4 1.7 1.7 0 0 0 2.6-1.1z" />
      <circle cx="12" cy="12" r="3" />
    </Icon>
  ),
  signOut: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <path d="M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4M10 16l-4-4 4-4M6 12h10" />
    </Icon>
  ),
  lock: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <rect x="4.5" y="10.5" width="15" height="10" rx="2" />
      <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3M12 14.5v2.5" />
    </Icon>
  ),
  construction: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <path d="M11.4 3.6a1 1 0 0 1 1.7 0l8.3 14.9a1 1 0 0 1-.9 1.5H3.5a1 1 0 0 1-.9-1.5z" />
      <path d="M12 9.5v4.5M12 17h.01" />
    </Icon>
  ),
  warning: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M12 7.5v5.5M12 16.5h.01" />
    </Icon>
  ),
  check: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <path d="m5 12.5 4.5 4.5L19 7.5" />
    </Icon>
  ),
  copy: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <rect x="8.5" y="8.5" width="11.5" height="11.5" rx="2" />
      <path d="M15.5 8.5V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v7.5a2 2 0 0 0 2 2h2.5" />
    </Icon>
  ),
  key: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <circle cx="8" cy="15" r="4" />
      <path d="m11 12 8.5-8.5M16 7l2.5 2.5M14 9l2 2" />
    </Icon>
  ),
  language: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M3.5 12h17M12 3.5c2.3 2.4 3.4 5.2 3.4 8.5s-1.1 6.1-3.4 8.5c-2.3-2.4-3.4-5.2-3.4-8.5s1.1-6.1 3.4-8.5z" />
    </Icon>
  ),
  store: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <path d="M4 9.5V20h16V9.5M3 9.5 4.8 4h14.4L21 9.5M3 9.5c0 1.4 1.1 2.5 2.5 2.5S8 10.9 8 9.5c0 1.4 1.1 2.5 2.5 2.5h3c1.4 0 2.5-1.1 2.5-2.5 0 1.4 1.1 2.5 2.5 2.5S21 10.9 21 9.5" />
      <path d="M10 20v-4.5h4V20" />
    </Icon>
  ),
  logo: (p: SVGProps<SVGSVGElement>) => (
    <Icon {...p}>
      <path d="m12 3 2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.4l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z" />
    </Icon>
  ),
};
