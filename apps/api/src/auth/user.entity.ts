import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const userRoles = ['viewer', 'reviewer', 'editor', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];

export const roleRank = (r: UserRole): number => userRoles.indexOf(r);

/** The weaker of two roles: what a token of `token` role held by a `user` may do. */
export const lesserRole = (user: UserRole, token: UserRole | null): UserRole => (token && roleRank(token) < roleRank(user) ? token : user);

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text', { name: 'password_hash', select: false }) passwordHash: string;
  @Column('text') role: UserRole;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'disabled_at', nullable: true }) disabledAt: Date | null;
}
