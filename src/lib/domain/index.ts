/** The portal's legal rules (Act No. 88/2024 Sb. as amended by Act No. 268/2024 Sb.). Pure TypeScript. */
export * from './elections';
export * from './deadlines';
export * from './court';
export * from './eligibility';
export * from './envelopes';
export * from './rehearsal';
export * from './consignment';
