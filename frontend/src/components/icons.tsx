/** A few inline line icons (24×24, stroke = currentColor), so the shell needs no icon package. */
import type { ComponentType, ReactNode, SVGProps } from 'react';

export type IconProps = Omit<SVGProps<SVGSVGElement>, 'children'> & { size?: number };
export type IconComponent = ComponentType<IconProps>;

function makeIcon(displayName: string, paths: ReactNode): IconComponent {
  function Icon({ size = 18, ...rest }: IconProps) {
    return (
      <svg
        xmlns="http://www.w3.org/2000/svg"
        width={size}
        height={size}
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.8}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        {...rest}
      >
        {paths}
      </svg>
    );
  }
  Icon.displayName = displayName;
  return Icon;
}

export const IconHome = makeIcon(
  'IconHome',
  <>
    <path d="M5 12H3l9-9 9 9h-2" />
    <path d="M5 12v7a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-7" />
    <path d="M9 21v-6a2 2 0 0 1 2-2h2a2 2 0 0 1 2 2v6" />
  </>,
);

export const IconDashboard = makeIcon(
  'IconDashboard',
  <>
    <rect x="3" y="3" width="7" height="9" rx="1.5" />
    <rect x="14" y="3" width="7" height="5" rx="1.5" />
    <rect x="14" y="12" width="7" height="9" rx="1.5" />
    <rect x="3" y="16" width="7" height="5" rx="1.5" />
  </>,
);

export const IconUsers = makeIcon(
  'IconUsers',
  <>
    <circle cx="9" cy="7" r="4" />
    <path d="M3 21v-2a4 4 0 0 1 4-4h4a4 4 0 0 1 4 4v2" />
    <path d="M16 3.13a4 4 0 0 1 0 7.75" />
    <path d="M21 21v-2a4 4 0 0 0-3-3.85" />
  </>,
);

export const IconSegments = makeIcon(
  'IconSegments',
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 3v9l6.4 6.4" />
  </>,
);

export const IconMail = makeIcon(
  'IconMail',
  <>
    <rect x="3" y="5" width="18" height="14" rx="2" />
    <path d="m3 7 9 6 9-6" />
  </>,
);

export const IconCart = makeIcon(
  'IconCart',
  <>
    <circle cx="6" cy="19" r="2" />
    <circle cx="17" cy="19" r="2" />
    <path d="M17 17H6V3H4" />
    <path d="m6 5 14 1-1 7H6" />
  </>,
);

export const IconBox = makeIcon(
  'IconBox',
  <>
    <path d="m12 3 8 4.5v9L12 21l-8-4.5v-9z" />
    <path d="m12 12 8-4.5" />
    <path d="M12 12v9" />
    <path d="M12 12 4 7.5" />
  </>,
);

export const IconLogout = makeIcon(
  'IconLogout',
  <>
    <path d="M14 8V6a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h7a2 2 0 0 0 2-2v-2" />
    <path d="M9 12h12l-3-3" />
    <path d="m18 15 3-3" />
  </>,
);

export const IconSortAsc = makeIcon('IconSortAsc', <path d="m6 15 6-6 6 6" />);

export const IconSortDesc = makeIcon('IconSortDesc', <path d="m6 9 6 6 6-6" />);

export const IconSortNone = makeIcon(
  'IconSortNone',
  <>
    <path d="m8 9 4-4 4 4" />
    <path d="m16 15-4 4-4-4" />
  </>,
);

export const IconSearch = makeIcon(
  'IconSearch',
  <>
    <circle cx="10" cy="10" r="7" />
    <path d="m21 21-6-6" />
  </>,
);

export const IconFilter = makeIcon('IconFilter', <path d="M4 4h16v2.2a2 2 0 0 1-.6 1.4L15 12v7l-6 2v-8.5L4.5 7.5A2 2 0 0 1 4 6.1z" />);

export const IconPencil = makeIcon(
  'IconPencil',
  <>
    <path d="M4 20h4L18.5 9.5a2.8 2.8 0 0 0-4-4L4 16v4" />
    <path d="m13.5 6.5 4 4" />
  </>,
);

export const IconPlus = makeIcon(
  'IconPlus',
  <>
    <path d="M12 5v14" />
    <path d="M5 12h14" />
  </>,
);

export const IconShieldUser = makeIcon(
  'IconShieldUser',
  <>
    <path d="M12 3 4.5 6v5.5c0 4.6 3.2 8.4 7.5 9.5 4.3-1.1 7.5-4.9 7.5-9.5V6z" />
    <circle cx="12" cy="10" r="2.5" />
    <path d="M8 16.5c.9-1.6 2.3-2.5 4-2.5s3.1.9 4 2.5" />
  </>,
);

export const IconKey = makeIcon(
  'IconKey',
  <>
    <circle cx="8" cy="15" r="4" />
    <path d="m10.8 12.2 9.2-9.2" />
    <path d="m16 7 3 3" />
    <path d="m18 5 2 2" />
  </>,
);

export const IconChevronDown = makeIcon('IconChevronDown', <path d="m6 9 6 6 6-6" />);

export const IconDots = makeIcon(
  'IconDots',
  <>
    <circle cx="5" cy="12" r="1" />
    <circle cx="12" cy="12" r="1" />
    <circle cx="19" cy="12" r="1" />
  </>,
);

export const IconX = makeIcon(
  'IconX',
  <>
    <path d="M18 6 6 18" />
    <path d="m6 6 12 12" />
  </>,
);

export const IconUpload = makeIcon(
  'IconUpload',
  <>
    <path d="M4 17v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
    <path d="m7 9 5-5 5 5" />
    <path d="M12 4v12" />
  </>,
);
